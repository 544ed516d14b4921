namespace EchoBridge.Bridge.WebSocket;

/// <summary>
/// Which target a WebSocket client asks for: <c>/websockify/&lt;name&gt;</c>, else websockify's <c>?token=&lt;name&gt;</c>,
/// else the configured default. Only a name is ever taken: anything that looks like an address is refused outright.
/// </summary>
internal static class WebSocketTargetName
{
    /// <summary>The name asked for (null when none was), from the route value, the query, or the default.</summary>
    public static string? Of(HttpRequest request, string? routeName, string defaultTarget)
    {
        if (!string.IsNullOrEmpty(routeName))
        {
            return routeName;
        }

        var token = request.Query["token"].ToString();
        return token.Length > 0 ? token : defaultTarget.Length > 0 ? defaultTarget : null;
    }

    /// <summary>Whether <paramref name="name"/> is shaped like a host, port or path rather than a target name.</summary>
    public static bool LooksLikeAnAddress(string name) =>
        name.AsSpan().IndexOfAny(":/\\@[]") >= 0 || System.Net.IPAddress.TryParse(name, out _);

    /// <summary>The name cut to a length fit for a reply, with control characters dropped.</summary>
    public static string Printable(string name)
    {
        var cut = name.Length > 40 ? name[..40] + "…" : name;
        return string.Create(cut.Length, cut, static (span, text) =>
        {
            for (var i = 0; i < text.Length; i++)
            {
                span[i] = char.IsControl(text[i]) ? '?' : text[i];
            }
        });
    }
}
