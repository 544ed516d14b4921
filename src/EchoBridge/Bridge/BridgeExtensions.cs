using EchoBridge.Bridge.WebSocket;
using EchoBridge.Contracts;
using EchoBridge.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Serilog.Core;
using Serilog.Events;

namespace EchoBridge.Bridge;

/// <summary>Wires the bridge into the host: settings, the hub (JSON and MessagePack), its singletons and the Origin check.</summary>
public static class BridgeExtensions
{
    /// <summary>Adds the bridge hub and the services that hold its state.</summary>
    public static WebApplicationBuilder AddBridge(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<BridgeOptions>()
            .BindConfiguration(BridgeOptions.Section, binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<BridgeOptions>, BridgeOptionsValidator>();
        services.AddSingleton<BridgeTargets>();
        services.AddSingleton<TargetConnector>();
        services.AddSingleton<BridgeRelay>();
        services.AddSingleton<ClientConnections>();
        services.AddSingleton<BridgeSessions>();
        services.AddSingleton<WebSocketBridgeEndpoint>();
        services.AddHostedService<WebSocketIdleSweeper>();
        services.AddSingleton<TrafficInspector>();
        services.AddSingleton<DashboardFeed>();
        services.AddHostedService(provider => provider.GetRequiredService<DashboardFeed>());
        // SignalR's dispatcher logs every exception a hub method throws at Error with a stack trace and the client's
        // words, refusals included (20,000 refused calls made 58 MB of log); BridgeHubFilter logs each once instead.
        services.AddSingleton<ILogEventFilter>(new DroppedFrameworkEvent(
            "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher", "FailedInvokingHubMethod", LogEventLevel.Error));

        // JSON stays the default for browsers; MessagePack is there for the bench tool and binary-heavy clients.
        services.AddSignalR().AddMessagePackProtocol();
        // The global options: SignalR reads them for every hub that has no AddHubOptions<T> of its own.
        services.AddOptions<HubOptions>().Configure<IOptions<BridgeOptions>>((hub, bridge) =>
        {
            hub.EnableDetailedErrors = false; // a client sees HubException words, never a stack trace
            hub.AddFilter<BridgeHubFilter>(); // logs failed calls once, refusals at Debug
            hub.MaximumReceiveMessageSize = bridge.Value.MaxMessageBytes;
        });
        return builder;
    }

    /// <summary>
    /// Maps the hub at <see cref="BridgeHubRoute.Path"/> and the WebSocket endpoint at <c>Bridge:WebSocket:Path</c>, both
    /// behind the Origin check and the client connection caps.
    /// </summary>
    public static WebApplication MapBridgeHub(this WebApplication app)
    {
        app.Services.GetRequiredService<BridgeRelay>(); // its instruments exist before the first scrape
        app.Services.GetRequiredService<TargetConnector>().WarnOfUntrustedTargets();
        app.UseWhen(context => context.Request.Path.StartsWithSegments(BridgeHubRoute.Path), hub =>
        {
            hub.UseMiddleware<OriginCheck>();
            hub.UseMiddleware<HubAdmission>();
        });
        app.MapHub<BridgeHub>(BridgeHubRoute.Path);

        var webSocket = app.Services.GetRequiredService<IOptions<BridgeOptions>>().Value.WebSocket;
        if (webSocket.Enabled)
        {
            app.UseWhen(context => context.Request.Path.StartsWithSegments(webSocket.Path), endpoint =>
            {
                endpoint.UseMiddleware<OriginCheck>();
                endpoint.UseWebSockets();
            });
            var handler = app.Services.GetRequiredService<WebSocketBridgeEndpoint>();
            app.Map(webSocket.Path, context => handler.HandleAsync(context, null));
            app.Map(webSocket.Path + "/{target}", context => handler.HandleAsync(context, context.GetRouteValue("target") as string));
        }

        return app;
    }
}
