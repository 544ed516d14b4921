using EchoBridge.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Serilog.Core;

namespace EchoBridge.Cluster;

/// <summary>
/// Scale-out on Redis, only when <c>ConnectionStrings:Redis</c> is set: SignalR's Redis backplane (our own channel
/// prefix), the cluster view (<see cref="ClusterFeed"/>) and the routed actions (<see cref="ClusterActions"/>).
/// Unset, nothing of it is registered and the product is one process, exactly as without it.
/// </summary>
public static class ClusterExtensions
{
    /// <summary>Adds the cluster's services when Redis is configured.</summary>
    public static WebApplicationBuilder AddCluster(this WebApplicationBuilder builder)
    {
        if (ClusterSettings.ReadRedis(builder.Configuration) is not { } redis)
        {
            return builder;
        }

        var services = builder.Services;
        services.AddSingleton(provider => new ClusterSettings(redis, provider.GetRequiredService<IOptions<EchoBridgeOptions>>().Value.InstanceName));
        services.AddSingleton<RedisLink>();
        services.AddSingleton<ClusterActions>();
        services.AddSingleton<ClusterFeed>();
        services.AddHostedService(provider => provider.GetRequiredService<ClusterFeed>());
        services.AddSignalR().AddStackExchangeRedis(options =>
        {
            options.Configuration = redis.Clone();
            options.Configuration.ChannelPrefix = ClusterSettings.BackplanePrefix;
        });
        // In place of the RedisHubLifetimeManager<> just registered, which it wraps: hub connections never fail for Redis.
        services.AddSingleton(typeof(HubLifetimeManager<>), typeof(TolerantBackplane<>));
        // The backplane logs "Not connected to Redis." at Error whenever Redis is away; RedisLink says so once, at Warning.
        services.AddSingleton<ILogEventFilter>(new DroppedFrameworkEvent(
            "Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisHubLifetimeManager", "NotConnected"));
        return builder;
    }
}
