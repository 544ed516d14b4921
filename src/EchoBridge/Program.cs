using EchoBridge.Bridge;
using EchoBridge.Hosting;
using EchoBridge.Listener;
using EchoBridge.Sessions;
using EchoBridge.Telemetry;

return await StartupGuard.RunAsync(args, () => Program.Build(args));

/// <summary>The table of contents of the product: each feature adds its services and maps its endpoints.</summary>
public partial class Program
{
    /// <summary>Builds the whole product. Tests call this with <paramref name="customize"/> to set ports and clocks.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        customize?.Invoke(builder);

        builder.AddEchoBridgeLogging();
        builder.AddSessions();
        builder.AddEchoListener();
        builder.AddAccessToken();
        builder.AddBridge();
        builder.AddHealthEndpoints();
        builder.AddTelemetry();

        var app = builder.Build();
        app.UseEchoBridgeRequestLogging();
        app.UseAccessToken();
        app.MapHealthEndpoints();
        app.MapTelemetry();
        app.MapBridgeHub();
        return app;
    }
}
