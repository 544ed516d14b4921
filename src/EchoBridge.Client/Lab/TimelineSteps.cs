using System.Text;
using EchoBridge.Contracts;

namespace EchoBridge.Client.Lab;

/// <summary>
/// Turns a session's summary and its recorded chunks into the lesson's steps: accept, each read and write beside the
/// line of Python that does it, the <c>quit</c> line, and the close with who closed first.
/// </summary>
public static class TimelineSteps
{
    /// <summary>The steps of <paramref name="session"/>, from <paramref name="frames"/> (oldest first).</summary>
    public static IReadOnlyList<TimelineStep> For(SessionSummary session, IReadOnlyList<TrafficFrame> frames)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(frames);
        var udp = session.Kind == SessionKind.Udp;
        var steps = new List<TimelineStep>(frames.Count + 2)
        {
            new(TimelineStepKind.Accepted, session.ConnectedAt, 0, udp ? LessonSnippets.RecvFrom : LessonSnippets.Accept),
        };
        foreach (var frame in frames)
        {
            var size = frame.Size ?? frame.Data.Length;
            if (frame.Direction == TrafficDirection.In)
            {
                steps.Add(new(TimelineStepKind.Read, frame.At, size, udp ? LessonSnippets.RecvFrom : LessonSnippets.Recv, frame));
                if (!udp && IsQuitLine(frame))
                {
                    steps.Add(new(TimelineStepKind.Quit, frame.At, 0, LessonSnippets.Quit, frame));
                }
            }
            else
            {
                steps.Add(new(TimelineStepKind.Wrote, frame.At, size, udp ? LessonSnippets.SendTo : LessonSnippets.Send, frame));
            }
        }

        if (session.ClosedAt is { } closedAt)
        {
            var code = WhoClosed(session.CloseReason) == ClosedBy.Client ? LessonSnippets.ClientClose : LessonSnippets.ServerClose;
            steps.Add(new(TimelineStepKind.Closed, closedAt, 0, code));
        }

        return steps;
    }

    /// <summary>
    /// Who closed first, from the server's close reason (<c>closed by client</c>, <c>quit</c>, <c>idle timeout</c>…):
    /// the client when it closed, quit, interrupted or reset; the server when idle, stalled, shutting down or told to.
    /// </summary>
    public static ClosedBy WhoClosed(string? reason) => reason switch
    {
        "closed by client" or "quit" or "interrupted (Ctrl+C)" or "connection reset" => ClosedBy.Client,
        "idle timeout" or "stalled: the echo was not read" or "server shutdown" or "disconnected by an operator" => ClosedBy.Server,
        _ => ClosedBy.Unknown,
    };

    /// <summary>The key of a known close reason's words (<c>Reason_quit</c>…), or null.</summary>
    public static string? ReasonKey(string? reason) => reason switch
    {
        "closed by client" => "Reason_ClientClosed",
        "quit" => "Reason_Quit",
        "interrupted (Ctrl+C)" => "Reason_Interrupt",
        "connection reset" => "Reason_Reset",
        "idle timeout" => "Reason_IdleTimeout",
        "stalled: the echo was not read" => "Reason_Stalled",
        "server shutdown" => "Reason_Shutdown",
        "disconnected by an operator" => "Reason_Disconnected",
        "evicted: the UDP peer table was full" => "Reason_Evicted",
        "server error" => "Reason_Error",
        _ => null,
    };

    // The listener's own rule: a line that is exactly "quit" (ended by LF, CRLF or CR NUL) ends the session.
    private static bool IsQuitLine(TrafficFrame frame)
    {
        if (frame.Truncated)
        {
            return false;
        }

        var lines = Encoding.UTF8.GetString(frame.Data).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var ended = i < lines.Length - 1 || line.EndsWith('\r') || line.EndsWith("\r\0", StringComparison.Ordinal);
            if (ended && line.TrimEnd('\r', '\0') == "quit")
            {
                return true;
            }
        }

        return false;
    }
}
