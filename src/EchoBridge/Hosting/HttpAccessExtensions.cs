using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;

namespace EchoBridge.Hosting;

/// <summary>
/// Who may use the HTTP endpoint: the hosts it answers to (host filtering, against DNS rebinding), the access token
/// (configured, or made up when listening beyond loopback) and the warning when access is open by choice.
/// </summary>
public static class HttpAccessExtensions
{
    /// <summary>Adds the binding's publication, the allowed hosts, the token and the open-access warning.</summary>
    public static WebApplicationBuilder AddHttpAccess(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
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

    /// <summary>Requires the token (when there is one) on every path but the health probes.</summary>
    public static WebApplication UseHttpAccess(this WebApplication app)
    {
        app.UseMiddleware<AccessTokenCheck>();
        return app;
    }
}
