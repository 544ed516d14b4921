using System.Globalization;
using EchoBridge.Hosting;
using Microsoft.Extensions.Options;

namespace EchoBridge.Sessions;

/// <summary>
/// One log line per interval (<c>EchoBridge:RefusalLogIntervalSeconds</c>) when clients were turned away, with the
/// counts by reason — never a line per refusal, which a flood would turn into a flood of log. Every front door gets it
/// by calling <see cref="SessionRegistry.Refuse"/>; the totals stay in <c>echobridge_connections_refused_total</c>.
/// </summary>
internal sealed partial class RefusalSummary(
    SessionRegistry registry,
    TimeProvider time,
    IOptions<EchoBridgeOptions> options,
    ILogger<RefusalSummary> logger) : BackgroundService
{
    // Only the summary loop touches it.
    private Dictionary<string, long> _reported = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.RefusalLogIntervalSeconds);
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Summarise(interval);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            Summarise(interval); // the last interval's refusals, at shutdown
        }
    }

    private void Summarise(TimeSpan interval)
    {
        var now = registry.RefusedByReason.ToDictionary(StringComparer.Ordinal);
        var since = now
            .Select(pair => (Reason: pair.Key, Count: pair.Value - _reported.GetValueOrDefault(pair.Key)))
            .Where(reason => reason.Count > 0)
            .OrderByDescending(reason => reason.Count)
            .ToList();
        _reported = now;
        if (since.Count > 0)
        {
            LogRefused(since.Sum(reason => reason.Count), interval.TotalSeconds,
                string.Join(", ", since.Select(reason => string.Create(CultureInfo.InvariantCulture, $"{reason.Reason} {reason.Count}"))));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Refused} clients in the last {IntervalSeconds} s: {ByReason}")]
    private partial void LogRefused(long refused, double intervalSeconds, string byReason);
}
