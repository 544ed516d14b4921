using System.Threading.Channels;
using EchoBridge.Listener;
using Microsoft.Extensions.Options;

namespace EchoBridge.Lab;

/// <summary>
/// The kernel's view of the echo ports, live. One shared reading loop runs only while at least one watcher enumerates
/// <see cref="WatchAsync"/>: it reads <c>/proc/net/tcp</c> and <c>/proc/net/tcp6</c> once per tick and hands every
/// watcher the same immutable snapshot. With nobody watching it reads nothing.
/// </summary>
public sealed partial class KernelSocketWatch(
    ListenerEndpoints endpoints,
    IOptions<ListenerOptions> options,
    TimeProvider time,
    ILogger<KernelSocketWatch> logger) : IDisposable
{
    /// <summary>How often the tables are read while someone watches.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);

    /// <summary>The most rows a snapshot keeps.</summary>
    public const int MaxRows = 500;

    /// <summary>The most watchers at once; one more is refused.</summary>
    public const int MaxWatchers = 64;

    private const string SoMaxConn = "/proc/sys/net/core/somaxconn";

    private readonly Lock _lock = new();
    private readonly List<Channel<KernelSnapshot>> _watchers = [];
    private CancellationTokenSource? _reading;
    private KernelSnapshot? _latest;

    /// <summary>Where the tables are read from; tests point it at captured files.</summary>
    internal string ProcNet { get; init; } = "/proc/net";

    /// <summary>How many are watching now.</summary>
    public int Watchers
    {
        get
        {
            lock (_lock)
            {
                return _watchers.Count;
            }
        }
    }

    /// <summary>Whether the reading loop runs (only while someone watches).</summary>
    public bool IsReading => Volatile.Read(ref _reading) is not null;

    /// <summary>
    /// A snapshot now, then one per tick while enumerated. A slow watcher skips to the newest snapshot instead of
    /// queueing old ones. Throws <see cref="InvalidOperationException"/> when <see cref="MaxWatchers"/> already watch.
    /// </summary>
    public async IAsyncEnumerable<KernelSnapshot> WatchAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Subscribe();
        try
        {
            await foreach (var snapshot in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return snapshot;
            }
        }
        finally
        {
            Unsubscribe(channel);
        }
    }

    /// <summary>Reads the tables once, now (the watch loop's one step; also what the benchmark times).</summary>
    public KernelSnapshot ReadOnce()
    {
        var ports = endpoints.Tcp.Concat(endpoints.Tls).Select(e => e.Port).Distinct().ToArray();
        var backlog = Math.Min(options.Value.Backlog, SomaxConn.Value);
        var tcp4 = Path.Combine(ProcNet, "tcp");
        var tcp6 = Path.Combine(ProcNet, "tcp6");
        if (!File.Exists(tcp4))
        {
            return new KernelSnapshot(time.GetUtcNow(), "The kernel's socket tables are only readable on Linux (/proc/net/tcp).", ports, backlog, [], 0);
        }

        bool Keep(int local, int remote) => ports.Contains(local) || ports.Contains(remote);
        var rows = KernelSocketTable.Parse(File.ReadAllText(tcp4), ipv6: false, Keep).Sockets;
        if (File.Exists(tcp6))
        {
            rows = [.. rows, .. KernelSocketTable.Parse(File.ReadAllText(tcp6), ipv6: true, Keep).Sockets];
        }

        return new KernelSnapshot(time.GetUtcNow(), null, ports, backlog, rows.Count > MaxRows ? [.. rows.Take(MaxRows)] : rows, rows.Count);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            _reading?.Cancel();
            _reading = null;
            _watchers.ForEach(watcher => watcher.Writer.TryComplete()); // the watches end instead of waiting forever
        }
    }

    private Channel<KernelSnapshot> Subscribe()
    {
        var channel = Channel.CreateBounded<KernelSnapshot>(new BoundedChannelOptions(1)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_lock)
        {
            if (_watchers.Count >= MaxWatchers)
            {
                throw new InvalidOperationException($"Already {MaxWatchers} watchers of the kernel's socket tables");
            }

            _watchers.Add(channel);
            if (_latest is { } latest)
            {
                channel.Writer.TryWrite(latest);
            }

            if (_reading is null)
            {
                _reading = new CancellationTokenSource();
                _ = ReadLoopAsync(_reading.Token);
            }
        }

        return channel;
    }

    private void Unsubscribe(Channel<KernelSnapshot> channel)
    {
        lock (_lock)
        {
            _watchers.Remove(channel);
            if (_watchers.Count == 0 && _reading is { } reading)
            {
                reading.Cancel();
                _reading = null;
                _latest = null;
            }
        }
    }

    private async Task ReadLoopAsync(CancellationToken stop)
    {
        await Task.Yield();
        using var timer = new PeriodicTimer(Tick, time);
        do
        {
            KernelSnapshot snapshot;
            try
            {
                snapshot = ReadOnce();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogReadFailed(ex.Message);
                snapshot = new KernelSnapshot(time.GetUtcNow(), $"Reading the kernel's socket tables failed: {ex.Message}", [], 0, [], 0);
            }

            lock (_lock)
            {
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                _latest = snapshot;
                foreach (var watcher in _watchers)
                {
                    watcher.Writer.TryWrite(snapshot);
                }
            }
        }
        while (await WaitForTickAsync(timer, stop));
    }

    private static async Task<bool> WaitForTickAsync(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the kernel's socket tables failed: {Error}")]
    private partial void LogReadFailed(string error);

    private static class SomaxConn
    {
        // The kernel caps every listen() backlog at this; read once.
        public static readonly int Value = File.Exists(SoMaxConn) && int.TryParse(File.ReadAllText(SoMaxConn).Trim(), out var max) ? max : int.MaxValue;
    }
}
