using EchoBridge.Client.Localization;
using Microsoft.AspNetCore.Localization;

namespace EchoBridge.Localization;

/// <summary>
/// <c>GET /culture/set?culture=es&amp;redirectUri=/</c>: remembers the page's language in ASP.NET Core's culture
/// cookie and sends the browser back to the page, which then loads in that language. Only a supported culture and a
/// path on this server are taken; anything else is a 400 that sets nothing.
/// </summary>
public static class CultureEndpoint
{
    /// <summary>The endpoint's path.</summary>
    public const string Path = "/culture/set";

    /// <summary>How long the choice is remembered.</summary>
    public static readonly TimeSpan CookieLifetime = TimeSpan.FromDays(365);

    /// <summary>Handles one request.</summary>
    public static IResult Set(HttpContext context, string? culture, string? redirectUri)
    {
        ArgumentNullException.ThrowIfNull(context);
        var language = Languages.Supported.FirstOrDefault(name => string.Equals(name, culture, StringComparison.OrdinalIgnoreCase));
        if (language is null)
        {
            return Results.Text($"Unknown language: culture must be one of {string.Join(", ", Languages.Supported)}.", statusCode: StatusCodes.Status400BadRequest);
        }

        var redirect = string.IsNullOrEmpty(redirectUri) ? "/" : redirectUri;
        if (!IsLocal(redirect))
        {
            return Results.Text("redirectUri must be a path on this server (like /).", statusCode: StatusCodes.Status400BadRequest);
        }

        context.Response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(language)),
            new CookieOptions
            {
                Path = context.Request.PathBase.HasValue ? context.Request.PathBase.Value : "/",
                MaxAge = CookieLifetime,
                HttpOnly = true,
                Secure = context.Request.IsHttps,
                SameSite = SameSiteMode.Lax,
                IsEssential = true,
            });
        return Results.LocalRedirect(redirect);
    }

    /// <summary>
    /// A path on this server, by the rule ASP.NET Core's <c>IsLocalUrl</c> applies: <c>/</c> or <c>/x</c>, never
    /// <c>//host</c> or <c>/\host</c> (which browsers take as another host), no control characters.
    /// </summary>
    public static bool IsLocal(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.StartsWith('/')
            && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
            && !url.Any(char.IsControl);
    }
}
