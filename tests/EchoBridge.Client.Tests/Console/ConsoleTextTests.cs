using System.Text;
using EchoBridge.Client.Console;
using EchoBridge.Client.Tests.Fakes;

namespace EchoBridge.Client.Tests.Console;

public class ConsoleTextTests
{
    public ConsoleTextTests() => TestCulture.Use("en");

    [Fact]
    public void Utf8_character_split_across_frames_decodes_whole()
    {
        var text = new StreamingText();
        var bytes = Encoding.UTF8.GetBytes("olé €");

        var first = text.Decode(bytes.AsSpan(0, 3));   // "ol" + first byte of é
        var second = text.Decode(bytes.AsSpan(3, 4));  // rest of é, space, first byte of €
        var third = text.Decode(bytes.AsSpan(7));      // rest of €

        Assert.Equal("ol", first);
        Assert.Equal("é ", second);
        Assert.Equal("€", third);
    }

    [Fact]
    public void Incomplete_character_at_the_end_flushes_as_replacement()
    {
        var text = new StreamingText();
        Assert.Equal("a", text.Decode([(byte)'a', 0xE2, 0x82]));
        Assert.Equal("\uFFFD", text.Flush());
    }

    [Theory]
    [InlineData("68 6f 6c 61", new byte[] { 0x68, 0x6f, 0x6c, 0x61 })]
    [InlineData("686F6C61", new byte[] { 0x68, 0x6f, 0x6c, 0x61 })]
    [InlineData("0x68,0x0a", new byte[] { 0x68, 0x0a })]
    [InlineData("ff:00", new byte[] { 0xff, 0x00 })]
    public void Hex_input_accepts_common_spellings(string typed, byte[] expected)
    {
        Assert.Equal(expected, HexInput.TryParse(typed, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("6", "two digits")]
    [InlineData("zz", "not a hex digit")]
    [InlineData("  ", "Type some hex")]
    public void Hex_input_explains_what_is_wrong(string typed, string because)
    {
        Assert.Null(HexInput.TryParse(typed, out var error));
        Assert.Contains(because, error, StringComparison.Ordinal);
    }

    [Fact]
    public void History_walks_back_and_forward_like_a_shell()
    {
        var history = new CommandHistory();
        history.Add("one");
        history.Add("two");
        history.Add("two");

        Assert.Equal("two", history.Previous());
        Assert.Equal("one", history.Previous());
        Assert.Equal("one", history.Previous());
        Assert.Equal("two", history.Next());
        Assert.Equal(string.Empty, history.Next());
    }

    [Theory]
    [InlineData(LineEnding.Lf, "\n")]
    [InlineData(LineEnding.CrLf, "\r\n")]
    [InlineData(LineEnding.None, "")]
    public void Line_endings_are_the_expected_bytes(LineEnding ending, string text) => Assert.Equal(text, ending.Text());
}
