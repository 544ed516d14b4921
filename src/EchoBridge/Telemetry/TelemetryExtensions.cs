using EchoBridge.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace EchoBridge.Telemetry;

/// <summary>
/// Metrics through OpenTelemetry, scraped at <c>/metrics</c> in Prometheus format: the <c>EchoBridge</c> meter plus
/// ASP.NET Core's, Kestrel's and the runtime's own (<c>System.Runtime</c>: GC heap and allocations, thread pool, CPU
/// time, working set — what an operator and the bench need to tell memory and CPU per connection or message). On by
/// default; <c>EchoBridge:Metrics:Enabled=false</c> turns it off.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>Adds the meter and, when enabled, the OpenTelemetry pipeline with the Prometheus exporter.</summary>
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<EchoBridgeMetrics>();
        // Decided while services are added, so the settings are read through their class here, not resolved.
        if (EchoBridgeOptions.Read(builder.Configuration).Metrics.Enabled)
        {
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
                .AddMeter(EchoBridgeMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime")
                .AddPrometheusExporter());
        }

        return builder;
    }

    /// <summary>Maps <c>/metrics</c> when metrics are enabled.</summary>
    public static WebApplication MapTelemetry(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<EchoBridgeOptions>>().Value.Metrics.Enabled)
        {
            // The instruments observe the registry; creating them here makes them exist before the first scrape.
            app.Services.GetRequiredService<EchoBridgeMetrics>();
            app.MapPrometheusScrapingEndpoint("/metrics");
        }

        return app;
    }
}
