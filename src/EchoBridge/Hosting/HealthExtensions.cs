using EchoBridge.Listener;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EchoBridge.Hosting;

/// <summary><c>/healthz</c>: the process answers. <c>/readyz</c>: every enabled listener endpoint is bound.</summary>
public static class HealthExtensions
{
    private const string ReadyTag = "ready";

    /// <summary>Adds the readiness check of the listener.</summary>
    public static WebApplicationBuilder AddHealthEndpoints(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<ListenerReadyCheck>("listener", tags: [ReadyTag]);
        return builder;
    }

    /// <summary>Maps <c>/healthz</c> and <c>/readyz</c>.</summary>
    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return app;
    }

    private sealed class ListenerReadyCheck(ListenerEndpoints endpoints) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(endpoints.IsReady
                ? HealthCheckResult.Healthy("every listener endpoint is bound")
                : HealthCheckResult.Unhealthy("the listener is not bound yet"));
    }
}
