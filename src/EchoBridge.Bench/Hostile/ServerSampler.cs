using System.Diagnostics;

namespace EchoBridge.Bench.Hostile;

/// <summary>
/// Samples the server's <c>/proc/PID</c> figures every interval, each tagged with the phase running then, until
/// disposed or the process is gone. The phase is set by the runner; the samples are read once sampling has stopped.
/// </summary>
public sealed class ServerSampler : IAsyncDisposable
{
    private readonly int _pid;
    private readonly TimeSpan _interval;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<ProcSample> _samples = [];
    private readonly Lock _gate = new();
    private readonly Task _loop;
    private int _phase;

    /// <summary>Starts sampling <paramref name="pid"/> (the first sample at once).</summary>
    public ServerSampler(int pid, TimeSpan interval)
    {
        _pid = pid;
        _interval = interval;
        _loop = RunAsync();
    }

    /// <summary>The phase the next samples belong to.</summary>
    public int Phase
    {
        set => Volatile.Write(ref _phase, value);
    }

    /// <summary>Whether the last read found the process gone.</summary>
    public bool ProcessGone { get; private set; }

    /// <summary>Every sample so far.</summary>
    public IReadOnlyList<ProcSample> Samples
    {
        get
        {
            lock (_gate)
            {
                return [.. _samples];
            }
        }
    }

    /// <summary>Takes one sample now (at a phase's edges, so each phase has its first and last figures).</summary>
    public void SampleNow()
    {
        if (ProcSample.Read(_pid, Volatile.Read(ref _phase), _clock.Elapsed.TotalSeconds) is { } sample)
        {
            lock (_gate)
            {
                _samples.Add(sample);
            }
        }
        else
        {
            ProcessGone = true;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(_interval);
        try
        {
            do
            {
                SampleNow();
            }
            while (!ProcessGone && await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException)
        {
            // disposed: the run is over
        }
    }
}
