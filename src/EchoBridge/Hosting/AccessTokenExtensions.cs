namespace EchoBridge.Hosting;

/// <summary>Wires the optional access token: the check on every non-health path and the warning when it is missing.</summary>
public static class AccessTokenExtensions
{
    /// <summary>Adds the token (from <c>EchoBridge:AccessToken</c>) and the open-access warning.</summary>
    public static WebApplicationBuilder AddAccessToken(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AccessToken>();
        builder.Services.AddHostedService<OpenAccessWarning>();
        return builder;
    }

    /// <summary>Requires the token (when set) on every path but the health probes.</summary>
    public static WebApplication UseAccessToken(this WebApplication app)
    {
        app.UseMiddleware<AccessTokenCheck>();
        return app;
    }
}
