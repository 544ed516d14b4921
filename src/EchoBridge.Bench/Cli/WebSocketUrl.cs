namespace EchoBridge.Bench.Cli;

/// <summary>The WebSocket URL of the <c>websocket</c> mode and <c>idle --via websocket</c>: <c>ws://</c> or <c>wss://</c>.</summary>
public static class WebSocketUrl
{
    /// <summary>EchoBridge's own endpoint on its default HTTP port, to its <c>echo</c> target.</summary>
    public const string Default = "ws://127.0.0.1:8080/websockify?token=echo";

    /// <summary>Parses <paramref name="text"/>; null with the reason in <paramref name="error"/> when it is not a WebSocket URL.</summary>
    public static Uri? Parse(string? text, out string? error)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeWs || url.Scheme == Uri.UriSchemeWss)
            && url.Host.Length > 0 && string.IsNullOrEmpty(url.Fragment))
        {
            error = null;
            return url;
        }

        error = $"--url must be an absolute ws:// or wss:// URL without a #fragment, like {Default}; not '{text}'";
        return null;
    }

    /// <summary>
    /// The WebSocket URL at <paramref name="pathAndQuery"/> of a server whose HTTP base is <paramref name="http"/>:
    /// <c>http://127.0.0.1:5000/</c> and <c>websockify?token=echo</c> give <c>ws://127.0.0.1:5000/websockify?token=echo</c>.
    /// </summary>
    public static Uri On(Uri http, string pathAndQuery)
    {
        var url = new Uri(http, pathAndQuery);
        return new UriBuilder(url) { Scheme = url.Scheme == Uri.UriSchemeHttps ? Uri.UriSchemeWss : Uri.UriSchemeWs }.Uri;
    }
}
