using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;

namespace EchoBridge.Hosting;

/// <summary>
/// Who may use the HTTP endpoint: who the client is behind a trusted proxy (forwarded headers), the hosts it answers to
/// (host filtering, against DNS rebinding), the access token (configured, or made up when listening beyond loopback)
/// and the warning when access is open by choice.
/// </summary>
public static class HttpAccessExtensions
{
    /// <summary>Adds the trusted proxies, the binding's publication, the allowed hosts, the token and the open-access warning.</summary>
    public static WebApplicationBuilder AddHttpAccess(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IConfigureOptions<ForwardedHeadersOptions>, ForwardedHeadersSetup>();
        services.AddSingleton<HttpExposure>();
        // ASP.NET Core's default builder already puts host filtering first in the pipeline; this sets its hosts.
        services.AddSingleton<AllowedHostsSetup>();
        services.AddSingleton<IPostConfigureOptions<HostFilteringOptions>>(provider => provider.GetRequiredService<AllowedHostsSetup>());
        services.AddSingleton<IOptionsChangeTokenSource<HostFilteringOptions>>(provider => provider.GetRequiredService<AllowedHostsSetup>());
        services.AddSingleton<AccessToken>();
        services.AddHostedService<HttpAccessStartup>();
        services.AddHostedService<OpenAccessWarning>();
        return builder;
    }

    /// <summary>
    /// Takes the client's address and scheme from a trusted proxy's <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c>
    /// (<c>EchoBridge:ForwardedHeaders</c>), first, so request logging, the token cookie and the bridge's per-address
    /// caps all see the client.
    /// </summary>
    public static WebApplication UseForwardedHeadersFromSettings(this WebApplication app)
    {
        app.UseForwardedHeaders(); // configured by ForwardedHeadersSetup
        return app;
    }

    /// <summary>Requires the token (when there is one) on every path but the health probes.</summary>
    public static WebApplication UseHttpAccess(this WebApplication app)
    {
        app.UseMiddleware<AccessTokenCheck>();
        return app;
    }
}
