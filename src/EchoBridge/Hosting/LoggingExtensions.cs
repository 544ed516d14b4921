using System.Globalization;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Hosting;
using Serilog.Formatting.Compact;
using Serilog.Settings.Configuration;

namespace EchoBridge.Hosting;

/// <summary>
/// Serilog everywhere, with the two-stage bootstrap: a console logger from the first line of <c>Main</c>, replaced by
/// the configured one once the host is built. Levels come from the <c>Serilog</c> section; the format from
/// <c>EchoBridge:LogFormat</c> (<c>text</c> or <c>json</c>, one compact JSON event per line); an optional rolling file
/// from <c>EchoBridge:LogFile</c>.
/// </summary>
public static class LoggingExtensions
{
    private const string TextTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    // The Serilog section may name the sinks and formatters shipped with the product (a "Using" entry adds others).
    // Naming them saves reading three deps.json files to find every "Serilog*" assembly at each start (bench/README.md,
    // Cold start).
    private static readonly ConfigurationReaderOptions ConfigurationAssemblies = new(
        typeof(ConsoleLoggerConfigurationExtensions).Assembly,
        typeof(FileLoggerConfigurationExtensions).Assembly,
        typeof(LoggerSinkConfigurationDebugExtensions).Assembly,
        typeof(RenderedCompactJsonFormatter).Assembly);

    /// <summary>The first stage: a plain console logger for what happens before the host exists. Created once per process.</summary>
    public static void CreateBootstrapLogger()
    {
        if (Log.Logger is ReloadableLogger)
        {
            return;
        }

        Log.Logger = new LoggerConfiguration()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .WriteTo.Console(formatProvider: CultureInfo.InvariantCulture)
            .CreateBootstrapLogger();
    }

    /// <summary>The second stage: the configured logger for the host.</summary>
    public static WebApplicationBuilder AddEchoBridgeLogging(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.AddSerilog(
            (services, logger) =>
            {
                var settings = services.GetRequiredService<IOptions<EchoBridgeOptions>>().Value;
                // The token never reaches a sink: masked in properties (query strings), events that carry it in
                // their template text are dropped. Then every text is made safe to print (LogText). Enrichers and
                // filters run before every sink, DI ones included.
                var redactor = new AccessTokenRedactor(services.GetRequiredService<AccessToken>());
                logger.ReadFrom.Configuration(configuration, ConfigurationAssemblies)
                    .ReadFrom.Services(services)
                    .Enrich.FromLogContext()
                    .Enrich.With(redactor)
                    .Enrich.With<LogTextEnricher>()
                    .Filter.ByExcluding(logEvent => redactor.Leaks(logEvent.MessageTemplate.Text)
                        || (logEvent.Exception is { } exception && redactor.Leaks(exception.ToString())))
                    // A failed start is reported once, in one clear line, by StartupGuard: not again with a stack trace.
                    .MinimumLevel.Override("Microsoft.Extensions.Hosting.Internal.Host", LogEventLevel.Fatal);

                if (settings.JsonLogs)
                {
                    logger.WriteTo.Console(new RenderedCompactJsonFormatter());
                }
                else
                {
                    logger.WriteTo.Console(outputTemplate: TextTemplate, formatProvider: CultureInfo.InvariantCulture);
                }

                if (settings.LogFile.Length > 0)
                {
                    logger.WriteTo.File(new RenderedCompactJsonFormatter(), settings.LogFile, rollingInterval: RollingInterval.Day,
                        retainedFileCountLimit: 7);
                }
            },
            // Only the process's own host takes over the static logger; test hosts (many per process) keep their own.
            preserveStaticLogger: Log.Logger is not ReloadableLogger);
        CachingLoggerFactory.Decorate(builder.Services);
        return builder;
    }

    /// <summary>Request logging, one line per request, with health probes and static files kept out of Information.</summary>
    public static WebApplication UseEchoBridgeRequestLogging(this WebApplication app)
    {
        app.UseSerilogRequestLogging(options =>
        {
            // The path only: a query string may carry the access token, in any encoding.
            options.IncludeQueryInRequestPath = false;
            options.GetLevel = (context, _, exception) =>
                exception is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
                : IsQuiet(context.Request.Path) ? LogEventLevel.Verbose
                : LogEventLevel.Information;
        });
        return app;
    }

    private static bool IsQuiet(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments("/_framework")
        || path.StartsWithSegments("/_content") || Path.HasExtension(path.Value);
}
