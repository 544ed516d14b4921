using System.Globalization;
using EchoBridge.Contracts;

namespace EchoBridge.Client.Sessions;

/// <summary>The table's filtering and sorting, kept out of the markup so it is tested on its own.</summary>
public static class SessionView
{
    /// <summary>
    /// The filter choices for kind; "bridged" is a TCP session opened by the bridge's hub, "websocket" one opened by
    /// its WebSocket endpoint (websockify-compatible clients).
    /// </summary>
    public static readonly IReadOnlyList<string> Kinds = ["all", "tcp", "tls", "unix", "udp", "bridged", "websocket"];

    /// <summary>What the kind column shows.</summary>
    public static string KindOf(SessionSummary session) =>
        session.BridgeSessionId is null ? session.Kind.ToString().ToLowerInvariant()
        : session.BridgeVia == "websocket" ? "websocket"
        : "bridged";

    /// <summary>The sessions that match <paramref name="kind"/> and <paramref name="text"/>, sorted.</summary>
    public static IReadOnlyList<SessionSummary> Apply(
        IEnumerable<SessionSummary> sessions, string kind, string text, SessionColumn column, bool descending)
    {
        var matching = sessions.Where(s =>
            (kind == "all" || KindOf(s) == kind || (kind == "tcp" && s.Kind == SessionKind.Tcp)) &&
            (string.IsNullOrWhiteSpace(text) || Matches(s, text.Trim())));
        Func<SessionSummary, object> key = column switch
        {
            SessionColumn.Kind => KindOf,
            SessionColumn.Remote => s => s.Remote,
            SessionColumn.ConnectedAt => s => s.ConnectedAt,
            SessionColumn.BytesIn => s => s.BytesIn,
            SessionColumn.BytesOut => s => s.BytesOut,
            SessionColumn.LastActivity => s => s.LastActivity,
            SessionColumn.Instance => s => s.Instance ?? "",
            _ => s => s.Id,
        };
        var sorted = descending ? matching.OrderByDescending(key) : matching.OrderBy(key);
        return [.. sorted.ThenBy(s => s.Id).ThenBy(s => s.Instance, StringComparer.Ordinal)];
    }

    private static bool Matches(SessionSummary s, string text) =>
        s.Remote.Contains(text, StringComparison.OrdinalIgnoreCase) ||
        KindOf(s).Contains(text, StringComparison.OrdinalIgnoreCase) ||
        s.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) == text ||
        (s.BridgeSessionId?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false) ||
        (s.Instance?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false);

    /// <summary>
    /// Whether <paramref name="session"/> lives on the server the page talks to (<paramref name="here"/>: its name in a
    /// cluster, null otherwise): only its captures can be exported and replayed from here.
    /// </summary>
    public static bool IsHere(SessionSummary session, string? here) => session.Instance is null || session.Instance == here;

    /// <summary>The most sessions one export names (the server refuses more: <c>/api/captures.*?ids=</c>).</summary>
    public const int MaxExport = 100;

    /// <summary>One pcapng of <paramref name="sessions"/> (the filter's selection, in the order shown; the first <see cref="MaxExport"/>).</summary>
    public static string ExportUrl(IEnumerable<SessionSummary> sessions, string? here = null) =>
        "api/captures.pcapng?ids=" + string.Join(',', sessions.Where(s => IsHere(s, here)).Take(MaxExport).Select(s => s.Id.ToString(CultureInfo.InvariantCulture)));
}
