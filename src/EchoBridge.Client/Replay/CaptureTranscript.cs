using System.Text.Json;

namespace EchoBridge.Client.Replay;

/// <summary>One chunk of a replayed conversation: milliseconds since the session began, direction, bytes.</summary>
public sealed record ReplayChunk(int Seq, double Ms, DateTimeOffset At, bool FromClient, byte[] Data);

/// <summary>
/// A session's capture as the replay plays it, read from the server's JSON Lines export
/// (<c>/api/sessions/{id}/capture.jsonl</c>): the chunks, where the capture was cut and when the session closed.
/// </summary>
public sealed record CaptureTranscript(
    string Id,
    string Description,
    DateTimeOffset StartedAt,
    IReadOnlyList<ReplayChunk> Chunks,
    double? CutMs,
    string? CutReason,
    double? ClosedMs,
    string? CloseReason)
{
    /// <summary>The timeline's length: the close, else the last chunk or cut.</summary>
    public double DurationMs => Math.Max(ClosedMs ?? 0, Math.Max(CutMs ?? 0, Chunks.Count == 0 ? 0 : Chunks[^1].Ms));

    /// <summary>Parses the JSON Lines export; throws <see cref="FormatException"/> on anything else.</summary>
    public static CaptureTranscript Parse(string jsonLines)
    {
        string id = "", description = "";
        var startedAt = DateTimeOffset.MinValue;
        var chunks = new List<ReplayChunk>();
        double? cutMs = null, closedMs = null;
        string? cutReason = null, closeReason = null;
        try
        {
            foreach (var line in jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var document = JsonDocument.Parse(line);
                var json = document.RootElement;
                switch (json.GetProperty("type").GetString())
                {
                    case "session":
                        id = json.GetProperty("id").GetString() ?? "";
                        description = json.GetProperty("description").GetString() ?? "";
                        startedAt = json.GetProperty("startedAt").GetDateTimeOffset();
                        break;
                    case "chunk":
                        chunks.Add(new ReplayChunk(json.GetProperty("seq").GetInt32(), json.GetProperty("ms").GetDouble(),
                            json.GetProperty("at").GetDateTimeOffset(), json.GetProperty("dir").GetString() == "in",
                            json.GetProperty("data").GetBytesFromBase64()));
                        break;
                    case "cut":
                        (cutMs, cutReason) = (json.GetProperty("ms").GetDouble(), json.GetProperty("reason").GetString());
                        break;
                    case "closed":
                        (closedMs, closeReason) = (json.GetProperty("ms").GetDouble(), json.GetProperty("reason").GetString());
                        break;
                }
            }
        }
        catch (Exception error) when (error is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"Not a capture transcript: {error.Message}", error);
        }

        return new CaptureTranscript(id, description, startedAt, chunks, cutMs, cutReason, closedMs, closeReason);
    }
}
