using EchoBridge.Hosting;

namespace EchoBridge.Tests.Hosting;

public sealed class LogTextTests
{
    [Fact]
    public void Short_clean_text_is_kept_as_it_is()
    {
        const string text = "Unknown target 'x'.";

        Assert.Same(text, LogText.Client(text));
        Assert.Equal("", LogText.Client(null));
    }

    [Fact]
    public void Control_characters_are_escaped_so_no_line_can_be_forged()
    {
        Assert.Equal("a\\0b\\r\\n[ERR] c\\u001B[31m\\u2028", LogText.Client("a\0b\r\n[ERR] c\u001b[31m\u2028"));
    }

    [Fact]
    public void Long_text_is_cut_and_says_how_long_it_was()
    {
        var cut = LogText.Client(new string('x', 2048));

        Assert.Equal(new string('x', LogText.ClientMax) + "… (2048 chars)", cut);
    }

    [Fact]
    public void An_escape_is_never_cut_in_half_nor_a_surrogate_pair()
    {
        var escapes = LogText.Safe(new string('\0', 10), 5); // "\0" is two characters: two fit, the third does not
        var emoji = LogText.Safe("abcd\U0001F600", 5);

        Assert.Equal("\\0\\0… (10 chars)", escapes);
        Assert.Equal("abcd… (6 chars)", emoji);
    }
}
