using EchoBridge.Bridge;
using Microsoft.Extensions.DependencyInjection;

namespace EchoBridge.Tests.Infrastructure;

/// <summary>Shortcuts to the product's singletons.</summary>
public static class ServiceLookups
{
    /// <summary>The bridge's session manager.</summary>
    public static BridgeSessions GetBridgeSessions(this IServiceProvider services) => services.GetRequiredService<BridgeSessions>();

    /// <summary>The dashboard feed.</summary>
    public static DashboardFeed GetDashboardFeed(this IServiceProvider services) => services.GetRequiredService<DashboardFeed>();
}
