using EchoBridge.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.Metrics;
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
            BuildAfterTheListener(builder.Services);
        }

        return builder;
    }

    /// <summary>
    /// Builds OpenTelemetry's MeterProvider (about 40 ms at start) after the echo listener has bound, not before it
    /// (bench/README.md, Cold start). Two registrations of OpenTelemetry built it first: its hosted service, registered
    /// ahead of all others, now moved to the end (still before Kestrel's, which the host appends last); and its bridge
    /// to Microsoft.Extensions.Diagnostics' metrics rules (an <see cref="IMetricsListener"/>, unused here: the meters are
    /// OpenTelemetry's own subscriptions), which the host initialises while validating options, now removed. Nothing
    /// is missed: the echo figures are observable instruments read at each scrape, and HTTP traffic starts with Kestrel.
    /// </summary>
    private static void BuildAfterTheListener(IServiceCollection services)
    {
        var hostedService = services.Single(service => service.ServiceType == typeof(IHostedService)
            && service.ImplementationType is { Name: "TelemetryHostedService" } type
            && type.Assembly == typeof(OpenTelemetryServicesExtensions).Assembly);
        services.Remove(hostedService);
        services.Add(hostedService);
        services.RemoveAll<IMetricsListener>();
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
