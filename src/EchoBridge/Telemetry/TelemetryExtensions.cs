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
    private const string EnabledSetting = "EchoBridge:Metrics:Enabled";

    /// <summary>Adds the meter and, when enabled, the OpenTelemetry pipeline with the Prometheus exporter.</summary>
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<EchoBridgeMetrics>();
        if (IsEnabled(builder.Configuration))
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
        if (IsEnabled(app.Configuration))
        {
            // The instruments observe the registry; creating them here makes them exist before the first scrape.
            app.Services.GetRequiredService<EchoBridgeMetrics>();
            app.MapPrometheusScrapingEndpoint("/metrics");
        }

        return app;
    }

    private static bool IsEnabled(IConfiguration configuration) => configuration.GetValue(EnabledSetting, defaultValue: true);
}
