using System.Buffers;
using System.Text;
using System.Text.Json;
using EchoBridge.Contracts;

namespace EchoBridge.Capture.Export;

/// <summary>
/// A capture as JSON Lines: one <c>session</c> line (who, when, how it ended), one <c>chunk</c> line per chunk (time,
/// milliseconds since the start, direction, length, the bytes as base64 and, when they are valid UTF-8, as text),
/// a <c>cut</c> line where the capture stopped storing, and a <c>closed</c> line. The dashboard's replay reads it.
/// </summary>
public static class JsonLinesExport
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>Writes one session's lines.</summary>
    public static void WriteSession(IBufferWriter<byte> output, CaptureSnapshot capture)
    {
        Line(output, json =>
        {
            json.WriteString("type", "session");
            json.WriteString("id", capture.Key);
            json.WriteString("kind", capture.Parties.Kind.ToString().ToLowerInvariant());
            json.WriteString("description", capture.Parties.Description);
            json.WriteString("client", capture.Parties.Client?.ToString());
            json.WriteString("server", capture.Parties.Server?.ToString());
            json.WriteString("startedAt", capture.StartedAt);
            if (capture.ClosedAt is { } closed)
            {
                json.WriteString("closedAt", closed);
                json.WriteString("closeReason", capture.CloseReason);
            }
        });

        var seq = 0;
        foreach (var chunk in capture.Chunks)
        {
            seq++;
            Line(output, json =>
            {
                json.WriteString("type", "chunk");
                json.WriteNumber("seq", seq);
                json.WriteString("at", chunk.At);
                json.WriteNumber("ms", Math.Round((chunk.At - capture.StartedAt).TotalMilliseconds, 3));
                json.WriteString("dir", chunk.Direction == TrafficDirection.In ? "in" : "out");
                json.WriteNumber("length", chunk.Data.Length);
                json.WriteBase64String("data", chunk.Data.Span);
                if (TryText(chunk.Data.Span, out var text))
                {
                    json.WriteString("text", text);
                }
            });
        }

        if (capture.Cut is { } cut)
        {
            Line(output, json =>
            {
                json.WriteString("type", "cut");
                json.WriteString("at", cut.At);
                json.WriteNumber("ms", Math.Round((cut.At - capture.StartedAt).TotalMilliseconds, 3));
                json.WriteString("reason", cut.Reason);
                json.WriteNumber("droppedBytesIn", cut.DroppedBytesIn);
                json.WriteNumber("droppedBytesOut", cut.DroppedBytesOut);
                json.WriteNumber("droppedChunks", cut.DroppedChunks);
            });
        }

        if (capture.ClosedAt is { } closedAt)
        {
            Line(output, json =>
            {
                json.WriteString("type", "closed");
                json.WriteString("at", closedAt);
                json.WriteNumber("ms", Math.Round((closedAt - capture.StartedAt).TotalMilliseconds, 3));
                json.WriteString("reason", capture.CloseReason);
            });
        }
    }

    internal static bool TryText(ReadOnlySpan<byte> data, out string text)
    {
        try
        {
            text = StrictUtf8.GetString(data);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }

    private static void Line(IBufferWriter<byte> output, Action<Utf8JsonWriter> body)
    {
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }

        output.Write("\n"u8);
    }
}
