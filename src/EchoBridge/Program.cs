using EchoBridge.Bridge;
using EchoBridge.Capture;
using EchoBridge.Cluster;
using EchoBridge.Dashboard;
using EchoBridge.Hosting;
using EchoBridge.Lab;
using EchoBridge.Listener;
using EchoBridge.Localization;
using EchoBridge.Sessions;
using EchoBridge.Telemetry;

return await StartupGuard.RunAsync(args, () => Program.Build(args));

/// <summary>The table of contents of the product: each feature adds its services and maps its endpoints.</summary>
public partial class Program
{
    /// <summary>Builds the whole product. Tests call this with <paramref name="customize"/> to set ports and clocks.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        // The application name is pinned so the static web asset manifests (EchoBridge.staticwebassets.*.json) are
        // found whoever the entry assembly is: the product itself, or a test run hosting it in-process.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(Program).Assembly.GetName().Name,
            // appsettings.json lives beside the program, wherever it is started from (a .NET tool runs from any folder).
            ContentRootPath = AppContext.BaseDirectory,
        });
        customize?.Invoke(builder);

        builder.AddEchoBridgeSettings();
        builder.AddHttpAddresses();
        builder.AddHttpTransport();
        builder.AddEchoBridgeLogging();
        builder.AddShutdownTimeout();
        builder.AddSessions();
        builder.AddCapture();
        builder.AddEchoListener();
        builder.AddHttpAccess();
        builder.AddBridge();
        builder.AddCluster();
        builder.AddSocketLab();
        builder.AddHealthEndpoints();
        builder.AddTelemetry();
        builder.AddDashboard();
        builder.AddDashboardLanguages();

        // The HTTP side is mapped as the server starts, after the echo listener: see MappingAtServerStart.
        WebApplication? app = null;
        builder.Services.AddSingleton<IStartupFilter>(new MappingAtServerStart(() => MapHttp(app!)));
        app = builder.Build();
        return app;
    }

    private static void MapHttp(WebApplication app)
    {
        app.UseForwardedHeadersFromSettings();
        app.UseEchoBridgeRequestLogging();
        app.UseHttpAccess();
        app.UseDashboardLanguages();
        app.MapHealthEndpoints();
        app.MapTelemetry();
        app.MapBridgeHub();
        app.MapCaptureApi();
        app.MapDashboard();
    }
}
