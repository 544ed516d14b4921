using EchoBridge.Hosting;
using EchoBridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog.Core;
using Serilog.Events;

namespace EchoBridge.Tests.Hosting;

public sealed class CachingLoggerFactoryTests
{
    [Fact]
    public void Each_category_gets_one_logger_made_once()
    {
        var inner = new CountingFactory();
        using var factory = new CachingLoggerFactory(inner);

        var first = factory.CreateLogger("Some.Category");
        var again = factory.CreateLogger("Some.Category");
        var other = factory.CreateLogger("Other.Category");

        Assert.Same(first, again);
        Assert.NotSame(first, other);
        Assert.Equal(["Some.Category", "Other.Category"], inner.Created);
    }

    [Fact]
    public async Task The_host_hands_out_one_logger_per_category_and_its_events_still_reach_serilog()
    {
        var logs = new LogCapture();
        await using var host = await TestHost.StartAsync(customize: builder => builder.Services.AddSingleton<ILogEventSink>(logs));
        var factory = host.Services.GetRequiredService<ILoggerFactory>();

        var logger = factory.CreateLogger("EchoBridge.Tests.Cached");
        Assert.Same(logger, factory.CreateLogger("EchoBridge.Tests.Cached"));

        logger.LogWarning("through the cached logger {Number}", 42);
        var logged = Assert.Single(logs.Events, e => e.MessageTemplate.Text == "through the cached logger {Number}");
        Assert.Equal("\"EchoBridge.Tests.Cached\"", logged.Properties["SourceContext"].ToString());
        Assert.Equal(LogEventLevel.Warning, logged.Level);
    }

    private sealed class CountingFactory : ILoggerFactory
    {
        public List<string> Created { get; } = [];

        public ILogger CreateLogger(string categoryName)
        {
            Created.Add(categoryName);
            return new FreshLogger();
        }

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }

    // A new object per call, so the test can tell a cached logger from a new one.
    private sealed class FreshLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => false;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }
    }
}
