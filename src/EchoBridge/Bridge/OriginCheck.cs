using Microsoft.Extensions.Options;

namespace EchoBridge.Bridge;

/// <summary>
/// Refuses cross-site WebSocket hijacking: a browser request to the hub (negotiate included) whose <c>Origin</c> is
/// neither this server's own nor in <c>Bridge:AllowedOrigins</c> gets 403. Browsers always send <c>Origin</c> on
/// WebSocket and cross-origin requests; a request without one is a non-browser client (bench, C#, curl) and passes —
/// the access token, when set, is what guards against those.
/// </summary>
public sealed class OriginCheck(RequestDelegate next, IOptions<BridgeOptions> options)
{
    /// <summary>Checks one request to the hub path.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0 || IsAllowed(origin, context.Request))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return context.Response.WriteAsync("Origin not allowed.", context.RequestAborted);
    }

    private bool IsAllowed(string origin, HttpRequest request)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri))
        {
            return false; // "null" (sandboxed frames, file://) and garbage
        }

        // Same origin: the page came from the host (and port) the browser is talking to. The scheme is not compared,
        // so a TLS-terminating proxy in front (https outside, http here) still counts as the same site.
        if (string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var allowed in options.Value.AllowedOrigins)
        {
            if (Uri.TryCreate(allowed, UriKind.Absolute, out var allowedUri)
                && string.Equals(allowedUri.GetLeftPart(UriPartial.Authority), uri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
