using System.Diagnostics;

namespace EchoBridge.Bench.Reporting;

/// <summary>
/// A status line on stderr once a second while a run goes on. On a terminal it rewrites itself in place and is wiped
/// at the end; into a file or pipe each update is a line of its own. stdout stays clean for the table or the JSON.
/// </summary>
public sealed class ProgressLine : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly bool _inPlace = !Console.IsErrorRedirected;
    private int _width;

    private ProgressLine(Func<TimeSpan, string>? describe)
    {
        _loop = describe is null ? Task.CompletedTask : RunAsync(describe);
    }

    /// <summary>
    /// Starts the line; <paramref name="describe"/> gets the time since its previous call (for rates) and returns the
    /// text. Nothing is shown when <paramref name="enabled"/> is false.
    /// </summary>
    public static ProgressLine Start(bool enabled, Func<TimeSpan, string> describe) => new(enabled ? describe : null);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        if (_inPlace && _width > 0)
        {
            await Console.Error.WriteAsync("\r" + new string(' ', _width) + "\r");
        }
    }

    private async Task RunAsync(Func<TimeSpan, string> describe)
    {
        using var timer = new PeriodicTimer(Interval);
        var last = Stopwatch.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var now = Stopwatch.GetTimestamp();
                var text = describe(Stopwatch.GetElapsedTime(last, now));
                last = now;
                if (_inPlace)
                {
                    await Console.Error.WriteAsync("\r" + text.PadRight(_width));
                    _width = Math.Max(_width, text.Length);
                }
                else
                {
                    await Console.Error.WriteLineAsync(text);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // disposed: the run is over
        }
    }
}
