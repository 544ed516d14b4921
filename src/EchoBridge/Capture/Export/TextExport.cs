using System.Buffers;
using System.Globalization;
using System.Text;
using EchoBridge.Contracts;

namespace EchoBridge.Capture.Export;

/// <summary>
/// A capture as plain text for people: a header line, then one line per chunk — seconds since the start, direction
/// (<c>&gt;</c> from the client, <c>&lt;</c> to it), length, and the bytes as a quoted string with C-style escapes when
/// they are text, else as hex — and lines marking a cut and the close.
/// </summary>
public static class TextExport
{
    /// <summary>Writes one session.</summary>
    public static void WriteSession(IBufferWriter<byte> output, CaptureSnapshot capture)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"# {PcapngExport.Describe(capture)}; started {capture.StartedAt:O}\n");
        foreach (var chunk in capture.Chunks)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Seconds(capture, chunk.At)} {(chunk.Direction == TrafficDirection.In ? ">" : "<")} {chunk.Data.Length,6} B  ");
            text.Append(Render(chunk.Data.Span)).Append('\n');
        }

        if (capture.Cut is { } cut)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{Seconds(capture, cut.At)} -- capture cut: {cut.Reason}; not stored: {cut.DroppedBytesIn} bytes in, {cut.DroppedBytesOut} bytes out ({cut.DroppedChunks} chunks)\n");
        }

        if (capture.ClosedAt is { } closed)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Seconds(capture, closed)} -- closed ({capture.CloseReason})\n");
        }

        text.Append('\n');
        Encoding.UTF8.GetBytes(text.ToString(), output);
    }

    /// <summary>Text with escapes (<c>"hola\r\n"</c>) when the bytes are mostly printable UTF-8, else hex (<c>hex 00 ff</c>).</summary>
    public static string Render(ReadOnlySpan<byte> data)
    {
        if (!JsonLinesExport.TryText(data, out var text) || text.Count(c => char.IsControl(c) && c is not ('\r' or '\n' or '\t')) > text.Length / 10)
        {
            return Spaced(Convert.ToHexString(data));
        }

        var quoted = new StringBuilder("\"");
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '\r' => "\\r",
                '\n' => "\\n",
                '\t' => "\\t",
                '"' => "\\\"",
                '\\' => "\\\\",
                _ when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }

    private static string Spaced(string hex)
    {
        var spaced = new StringBuilder("hex", 3 + hex.Length * 3 / 2);
        for (var i = 0; i < hex.Length; i += 2)
        {
            spaced.Append(' ').Append(char.ToLowerInvariant(hex[i])).Append(char.ToLowerInvariant(hex[i + 1]));
        }

        return spaced.ToString();
    }

    private static string Seconds(CaptureSnapshot capture, DateTimeOffset at) =>
        (at - capture.StartedAt).TotalSeconds.ToString("+0.000000's'", CultureInfo.InvariantCulture);
}
