using System.Buffers;
using EchoBridge.Capture.Export;

namespace EchoBridge.Capture;

/// <summary>
/// The export endpoints: <c>/api/sessions/{id}/capture.pcapng|.jsonl|.txt</c> for one session (404 when it is unknown
/// or evicted) and <c>/api/captures.pcapng|.jsonl|.txt?ids=1,2,3</c> or <c>?closed=true</c> for several. They sit
/// behind the access-token check like every other non-health path. Contents are never logged; each session is
/// copied out of its capture, formatted and flushed in turn, so an export holds at most one session's copy.
/// </summary>
public static class CaptureApi
{
    /// <summary>Most sessions one multi-session export may name.</summary>
    public const int MaxIdsPerExport = 100;

    private static readonly Dictionary<string, (string ContentType, Action<IBufferWriter<byte>, CaptureSnapshot> Write)> Formats = new()
    {
        ["pcapng"] = ("application/x-pcapng", (_, _) => { }),
        ["jsonl"] = ("application/jsonl; charset=utf-8", JsonLinesExport.WriteSession),
        ["txt"] = ("text/plain; charset=utf-8", TextExport.WriteSession),
    };

    /// <summary>Maps the export endpoints.</summary>
    public static WebApplication MapCaptureApi(this WebApplication app)
    {
        foreach (var format in Formats.Keys)
        {
            app.MapGet($"/api/sessions/{{id}}/capture.{format}", (string id, CaptureStore store, HttpContext context) =>
            {
                if (!store.TryGet(id, out var recorder) || recorder.Snapshot() is not { } first)
                {
                    return Task.FromResult(Results.NotFound($"Unknown or expired session '{id}'."));
                }

                return ExportAsync(context, format, $"echobridge-session-{id}", [() => first]);
            });
            app.MapGet($"/api/captures.{format}", (string? ids, bool? closed, CaptureStore store, HttpContext context) =>
            {
                List<Func<CaptureSnapshot?>> sessions = [];
                if (closed == true)
                {
                    sessions.AddRange(store.RecentlyClosed().Reverse().Select(r => (Func<CaptureSnapshot?>)r.Snapshot));
                }
                else if (!string.IsNullOrWhiteSpace(ids))
                {
                    var keys = ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (keys.Length > MaxIdsPerExport)
                    {
                        return Task.FromResult(Results.BadRequest($"At most {MaxIdsPerExport} sessions per export (got {keys.Length})."));
                    }

                    foreach (var key in keys)
                    {
                        if (!store.TryGet(key, out var recorder))
                        {
                            return Task.FromResult(Results.NotFound($"Unknown or expired session '{key}'."));
                        }

                        sessions.Add(recorder.Snapshot);
                    }
                }
                else
                {
                    return Task.FromResult(Results.BadRequest("Name the sessions: ?ids=1,2,3 or ?closed=true."));
                }

                var name = closed == true ? "echobridge-closed-sessions" : "echobridge-sessions";
                return ExportAsync(context, format, name, sessions);
            });
        }

        return app;
    }

    private static async Task<IResult> ExportAsync(HttpContext context, string format, string name,
        IReadOnlyList<Func<CaptureSnapshot?>> sessions)
    {
        var (contentType, write) = Formats[format];
        var response = context.Response;
        response.ContentType = contentType;
        response.Headers.ContentDisposition = $"attachment; filename=\"{name}.{format}\"";
        var body = response.BodyWriter;
        PcapngWriter? pcapng = null;
        if (format == "pcapng")
        {
            pcapng = new PcapngWriter(body);
            pcapng.WriteHeader("EchoBridge " + typeof(CaptureApi).Assembly.GetName().Version?.ToString(3));
        }

        foreach (var snapshotOf in sessions)
        {
            if (snapshotOf() is not { } snapshot)
            {
                continue; // evicted since the request began
            }

            if (pcapng is not null)
            {
                PcapngExport.WriteSession(pcapng, snapshot);
            }
            else
            {
                write(body, snapshot);
            }

            await body.FlushAsync(context.RequestAborted);
        }

        return Results.Empty;
    }
}
