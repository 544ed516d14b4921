using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EchoBridge.Sessions;

/// <summary>Registers the session registry that the listener writes and the bridge and dashboard read.</summary>
public static class SessionsExtensions
{
    /// <summary>
    /// Adds <see cref="SessionRegistry"/> (and the system clock, unless a test put in its own) and the summary of
    /// refused clients.
    /// </summary>
    public static WebApplicationBuilder AddSessions(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SessionRegistry>();
        builder.Services.AddHostedService<RefusalSummary>();
        return builder;
    }
}
