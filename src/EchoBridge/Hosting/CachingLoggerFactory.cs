using System.Collections.Concurrent;

namespace EchoBridge.Hosting;

/// <summary>
/// Hands out one logger per category, as Microsoft's own <c>LoggerFactory</c> does. Serilog's factory, which replaces
/// it here, makes a new logger on every call, and ASP.NET Core asks for loggers per connection (SignalR's
/// <c>HubConnectionContext</c> and WebSocket transport each do): two Serilog loggers, their enriched copies and
/// event-id caches for every hub connection — about 2 KiB of an idle one's memory, measured (README, Benchmarks).
/// </summary>
internal sealed class CachingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    // Categories are type names in practice; a code path that made them up per call must not grow this forever.
    private const int MaxCategories = 4096;

    private readonly ConcurrentDictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName)
    {
        if (_loggers.TryGetValue(categoryName, out var logger))
        {
            return logger;
        }

        logger = inner.CreateLogger(categoryName);
        return _loggers.Count < MaxCategories ? _loggers.GetOrAdd(categoryName, logger) : logger;
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    /// <summary>Wraps the <see cref="ILoggerFactory"/> registered last in <paramref name="services"/>.</summary>
    public static void Decorate(IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(ILoggerFactory) && !d.IsKeyedService);
        services.Remove(registered);
        services.AddSingleton<ILoggerFactory>(provider => new CachingLoggerFactory(Create(provider, registered)));
    }

    private static ILoggerFactory Create(IServiceProvider provider, ServiceDescriptor registered) =>
        (ILoggerFactory)(registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(provider)
            ?? ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!));
}
