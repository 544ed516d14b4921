using System.Text;

namespace EchoBridge.Client.Inspector;

/// <summary>Formats bytes the way <c>hexdump -C</c> does: offset, 16 hex bytes, the printable ASCII beside them.</summary>
public static class HexDump
{
    /// <summary>One line per 16 bytes.</summary>
    public static IReadOnlyList<string> Lines(ReadOnlySpan<byte> data)
    {
        var lines = new List<string>((data.Length + 15) / 16);
        var line = new StringBuilder(80);
        for (var offset = 0; offset < data.Length; offset += 16)
        {
            var row = data.Slice(offset, Math.Min(16, data.Length - offset));
            line.Clear().Append(offset.ToString("x4", System.Globalization.CultureInfo.InvariantCulture)).Append("  ");
            for (var i = 0; i < 16; i++)
            {
                line.Append(i < row.Length ? row[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture) : "  ");
                line.Append(i == 7 ? "  " : " ");
            }

            line.Append(" |");
            foreach (var b in row)
            {
                line.Append(b is >= 0x20 and < 0x7f ? (char)b : '.');
            }

            lines.Add(line.Append('|').ToString());
        }

        return lines;
    }

    /// <summary>The bytes as readable text: UTF-8, with control characters shown as ␀-style symbols (\r\n as ↵).</summary>
    public static string Text(ReadOnlySpan<byte> data)
    {
        var text = Encoding.UTF8.GetString(data);
        var shown = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            shown.Append(c switch
            {
                '\n' => "↵",
                '\r' => "␍",
                '\t' => "⇥",
                < ' ' => ((char)(0x2400 + c)).ToString(),
                '\u007f' => "␡",
                _ => c.ToString(),
            });
        }

        return shown.ToString();
    }
}
