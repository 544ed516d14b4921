using EchoBridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Serilog.Core;
using Serilog.Events;

namespace EchoBridge.Tests.Sessions;

public sealed class RefusalSummaryTests
{
    private static List<LogEvent> Summaries(LogCapture logs) =>
        [.. logs.Events.Where(e => e.MessageTemplate.Text.StartsWith("Refused {Refused} clients", StringComparison.Ordinal))];

    [Fact]
    public async Task Refusals_are_logged_once_per_interval_with_the_counts_by_reason()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var logs = new LogCapture();
        await using var host = await TestHost.StartAsync(
            new Dictionary<string, string?> { ["Listener:MaxConnections"] = "1", ["EchoBridge:RefusalLogIntervalSeconds"] = "10" },
            builder =>
            {
                builder.Services.AddSingleton<TimeProvider>(time);
                builder.Services.AddSingleton<ILogEventSink>(logs);
            });
        using var first = await EchoClient.ConnectAsync(host.Tcp);
        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 1, "the first session is open");
        for (var i = 0; i < 3; i++)
        {
            using var extra = await EchoClient.ConnectAsync(host.Tcp);
            await extra.ReceiveToEndAsync();
        }

        Assert.Empty(Summaries(logs)); // nothing per event
        time.Advance(TimeSpan.FromSeconds(10));
        await Bounded.UntilAsync(() => Summaries(logs).Count == 1, "the interval's summary");

        var summary = Summaries(logs)[0];
        Assert.Equal(LogEventLevel.Warning, summary.Level);
        Assert.Equal("Refused 3 clients in the last 10 s: \"connection limit reached 3\"", summary.RenderMessage(null));

        // The next interval counts only its own refusals.
        using (var again = await EchoClient.ConnectAsync(host.Tcp))
        {
            await again.ReceiveToEndAsync();
        }

        time.Advance(TimeSpan.FromSeconds(10));
        await Bounded.UntilAsync(() => Summaries(logs).Count == 2, "the next interval's summary");
        Assert.Contains("Refused 1 clients", Summaries(logs)[1].RenderMessage(null), StringComparison.Ordinal);
        Assert.Equal(4, host.Registry.RefusedByReason.Single().Value);
    }
}
