using System.Text;
using EchoBridge.Client.Inspector;

namespace EchoBridge.Client.Tests.Inspector;

public class HexDumpTests
{
    [Fact]
    public void Lines_show_offset_hex_and_printable_ascii()
    {
        var lines = HexDump.Lines(Encoding.ASCII.GetBytes("hola\r\n0123456789abcdefXYZ"));

        Assert.Equal(2, lines.Count);
        Assert.StartsWith("0000  68 6f 6c 61 0d 0a 30 31  32 33", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("|hola..0123456789|", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("0010  61 62 63 64 65 66 58 59  5a", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("|abcdefXYZ|", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Text_shows_control_characters_as_symbols()
    {
        Assert.Equal("hola␍↵␀", HexDump.Text(Encoding.ASCII.GetBytes("hola\r\n\0")));
    }
}
