using EchoBridge.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Serilog.Core;

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
        services.AddSingleton<BridgeSessions>();
        services.AddSingleton<TrafficInspector>();
        services.AddSingleton<DashboardFeed>();
        services.AddHostedService(provider => provider.GetRequiredService<DashboardFeed>());
        services.AddSingleton<ILogEventFilter, HubDispatcherErrors>(); // read by the logger (ReadFrom.Services)

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

    /// <summary>Maps the hub at <see cref="BridgeHubRoute.Path"/> behind the Origin check.</summary>
    public static WebApplication MapBridgeHub(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments(BridgeHubRoute.Path),
            hub => hub.UseMiddleware<OriginCheck>());
        app.MapHub<BridgeHub>(BridgeHubRoute.Path);
        return app;
    }
}
