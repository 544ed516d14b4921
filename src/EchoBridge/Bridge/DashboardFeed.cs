using System.Reflection;
using EchoBridge.Capture;
using EchoBridge.Cluster;
using EchoBridge.Contracts;
using EchoBridge.Listener;
using EchoBridge.Sessions;
using Microsoft.Extensions.Options;

namespace EchoBridge.Bridge;

/// <summary>
/// The one producer of dashboard snapshots: each tick (while anyone watches) it computes ONE snapshot that every
/// <c>Watch</c> stream shares. The cost of a tick grows with the number of live sessions (a top-K pass), never with
/// traffic or with the number of watchers; a slow watcher simply skips to the newest snapshot.
/// </summary>
public sealed class DashboardFeed(
    SessionRegistry registry,
    ListenerEndpoints endpoints,
    IOptions<BridgeOptions> options,
    TimeProvider time,
    CaptureStore? captures = null,
    BridgeRelay? relay = null,
    ClusterFeed? cluster = null) : BackgroundService
{
    private static readonly string Version =
        typeof(DashboardFeed).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    private readonly DateTimeOffset _startedAt = time.GetUtcNow();
    private TaskCompletionSource<DashboardSnapshot> _next = NewPromise();
    private int _watchers;
    private long _computed;
    private ListenerTotals _previous;
    private long _previousAt;

    /// <summary>How many snapshots have been computed since start (one per tick with watchers).</summary>
    public long SnapshotsComputed => Interlocked.Read(ref _computed);

    /// <summary>Streams the shared snapshots until <paramref name="cancellationToken"/> fires.</summary>
    public async IAsyncEnumerable<DashboardSnapshot> WatchAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _watchers);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                yield return await Volatile.Read(ref _next).Task.WaitAsync(cancellationToken);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _watchers);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.WatchIntervalMilliseconds), time);
        (_previous, _previousAt) = (registry.GetTotals(), time.GetTimestamp());
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (Volatile.Read(ref _watchers) == 0)
                {
                    (_previous, _previousAt) = (registry.GetTotals(), time.GetTimestamp());
                    continue;
                }

                var snapshot = Compute();
                Interlocked.Increment(ref _computed);
                Interlocked.Exchange(ref _next, NewPromise()).SetResult(snapshot);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping (or a start that failed and is being torn down): nothing to report.
        }
    }

    /// <summary>Computes one snapshot (internal for tests).</summary>
    internal DashboardSnapshot Compute()
    {
        var now = time.GetTimestamp();
        var totals = registry.GetTotals();
        var counters = Counters(totals, _previous, time.GetElapsedTime(_previousAt, now));
        (_previous, _previousAt) = (totals, now);
        var limit = options.Value.WatchSessionLimit;
        var closed = captures?.RecentlyClosed() ?? [];
        var sessions = MostRecentlyActive(registry, limit);
        List<SessionSummary> recentlyClosed = [.. closed.Select(r => r.Summary).OfType<SessionSummary>().Take(limit)];
        ClusterStatus? status = null;
        if (cluster is not null)
        {
            (sessions, counters, status) = cluster.Merge(sessions, counters, limit);
            recentlyClosed = recentlyClosed.ConvertAll(s => s with { Instance = cluster.InstanceName });
        }

        return new DashboardSnapshot(time.GetUtcNow(), Version, _startedAt, Endpoints(), counters,
            sessions, recentlyClosed, Bridges(limit, closed), status);
    }

    /// <summary>Totals and their per-second rates since <paramref name="previous"/>, <paramref name="elapsed"/> ago.</summary>
    internal static ListenerCounters Counters(ListenerTotals totals, ListenerTotals previous, TimeSpan elapsed)
    {
        var seconds = Math.Max(elapsed.TotalSeconds, 1e-3);
        return new ListenerCounters(
            totals.ActiveSessions, totals.TotalSessions, totals.RefusedConnections,
            totals.BytesIn, totals.BytesOut, totals.MessagesIn, totals.MessagesOut,
            Rate(totals.BytesIn - previous.BytesIn, seconds),
            Rate(totals.BytesOut - previous.BytesOut, seconds),
            Rate(totals.MessagesIn - previous.MessagesIn, seconds),
            Rate(totals.MessagesOut - previous.MessagesOut, seconds));
    }

    // The listener's endpoints, plus the bridge's WebSocket path (protocol "websocket") for the connect panel.
    private IReadOnlyList<EndpointStatus> Endpoints()
    {
        var webSocket = options.Value.WebSocket;
        return webSocket.Enabled ? [.. endpoints.Describe(), new EndpointStatus("websocket", webSocket.Path, true, false)] : endpoints.Describe();
    }

    /// <summary>The <paramref name="limit"/> most recently active listener sessions, most recent first.</summary>
    internal static List<SessionSummary> MostRecentlyActive(SessionRegistry registry, int limit)
    {
        var list = TopByActivity(registry.Sessions, static s => s.LastActivityTimestamp, static s => s.ToSummary(), limit);

        // Most recent first, by the summaries themselves: busy sessions moved on since the heap pass read them.
        list.Sort(static (a, b) => b.LastActivity.CompareTo(a.LastActivity));
        return list;
    }

    // The bridge's open sessions (most recently active first), then its retained closed ones (most recently closed
    // first), at most `limit` of each: a bridge session to a target other than echo is no listener session.
    private List<BridgeSessionSummary> Bridges(int limit, IReadOnlyList<CaptureRecorder> closed)
    {
        var list = relay is null
            ? []
            : TopByActivity(relay.Sessions.Where(static s => s.EndReason is null), static s => s.LastActivityTimestamp,
                static s => s.ToSummary(), limit);
        list.Sort(static (a, b) => b.LastActivity.CompareTo(a.LastActivity));
        list.AddRange(closed.Select(r => r.BridgeSummary).OfType<BridgeSessionSummary>().Take(limit));
        return list;
    }

    // A min-heap of size K keyed on last activity: O(n log K) per tick, no sort of every session.
    private static List<TSummary> TopByActivity<T, TSummary>(IEnumerable<T> sessions, Func<T, long> lastActivity,
        Func<T, TSummary> summary, int limit)
    {
        var top = new PriorityQueue<T, long>(limit + 1);
        foreach (var session in sessions)
        {
            top.Enqueue(session, lastActivity(session));
            if (top.Count > limit)
            {
                top.Dequeue();
            }
        }

        var list = new List<TSummary>(top.Count);
        while (top.TryDequeue(out var session, out _))
        {
            list.Add(summary(session));
        }

        return list;
    }

    private static double Rate(long delta, double seconds) => Math.Round(Math.Max(delta, 0) / seconds, 1);

    private static TaskCompletionSource<DashboardSnapshot> NewPromise() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
