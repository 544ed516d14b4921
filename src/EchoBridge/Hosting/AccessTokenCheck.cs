using EchoBridge.Contracts;

namespace EchoBridge.Hosting;

/// <summary>
/// When <c>EchoBridge:AccessToken</c> is set, every path but the health probes needs it: as <c>Authorization: Bearer</c>,
/// as the <c>access_token</c> query parameter (SignalR's browser client puts it there for WebSockets), or as the
/// HttpOnly cookie that a page visit with <c>?access_token=</c> sets, so the dashboard's link can be shared once.
/// Anything else gets 401.
/// </summary>
public sealed class AccessTokenCheck(RequestDelegate next, AccessToken token)
{
    /// <summary>Checks one request.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!token.Required || request.Path.StartsWithSegments("/healthz") || request.Path.StartsWithSegments("/readyz"))
        {
            return next(context);
        }

        if (token.Matches(Bearer(request)) || token.Matches(request.Cookies[AccessToken.CookieName]))
        {
            return next(context);
        }

        if (token.Matches(request.Query[AccessToken.QueryParameter]))
        {
            if (!request.Path.StartsWithSegments(BridgeHubRoute.Path))
            {
                // A page visit: remember the token so the page's own requests need no query string.
                context.Response.Cookies.Append(AccessToken.CookieName, token.Value, new CookieOptions
                {
                    HttpOnly = true,
                    Secure = request.IsHttps,
                    SameSite = SameSiteMode.Strict,
                    Path = "/",
                });
            }

            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return context.Response.WriteAsync("An access token is required (EchoBridge:AccessToken).", context.RequestAborted);
    }

    private static string? Bearer(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }
}
