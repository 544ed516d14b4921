using EchoBridge.Client.Hub;
using Microsoft.Extensions.DependencyInjection;

namespace EchoBridge.Client.Tests.Fakes;

/// <summary>
/// A bUnit context with the fake hub and the localizers registered, JavaScript calls (autoscroll, clipboard) accepted,
/// in English unless a test says otherwise (<see cref="TestCulture"/>).
/// </summary>
public abstract class DashboardTestContext : BunitContext
{
    /// <summary>How long a test waits for the component to catch up with the fake hub.</summary>
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    protected DashboardTestContext()
    {
        Services.AddSingleton<IBridgeHubClient>(Hub);
        Services.AddLocalization();
        TestCulture.Use("en");
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    protected FakeBridgeHub Hub { get; } = new();
}
