using System.Text.Json;
using EchoBridge.Bridge;
using EchoBridge.Contracts;
using EchoBridge.Sessions;
using StackExchange.Redis;

namespace EchoBridge.Cluster;

/// <summary>
/// The one owner of the cluster view. Each <see cref="ClusterSettings.Tick"/>, whatever the traffic, it publishes this
/// instance's summary to Redis under a key that expires (its heartbeat), reads the other instances' summaries, and
/// replaces the immutable <see cref="View"/>: five Redis commands a tick, pipelined. Only this loop waits on Redis:
/// the echo path and the hub read the last view. Redis away or slow: the view says unavailable and holds only this
/// instance; Redis back: the next tick brings the cluster back.
/// </summary>
public sealed partial class ClusterFeed(
    ClusterSettings settings,
    RedisLink redis,
    ClusterActions actions,
    SessionRegistry registry,
    TimeProvider time,
    ILogger<ClusterFeed> logger) : BackgroundService
{
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();
    private ClusterView _view = new(false, [], []);
    private ListenerTotals _previous;
    private long _previousAt;
    private bool _unavailableLogged;

    /// <summary>This instance's name.</summary>
    public string InstanceName => settings.InstanceName;

    /// <summary>The cluster as last read.</summary>
    public ClusterView View => Volatile.Read(ref _view);

    /// <summary>
    /// Adds the cluster to one dashboard snapshot: this instance's <paramref name="local"/> sessions (fresh) and the
    /// others' (from the view), the most recently active <paramref name="limit"/> of them, each tagged with its
    /// instance; the counters summed over the instances that are up; the instances themselves.
    /// </summary>
    public (List<SessionSummary> Sessions, ListenerCounters Counters, ClusterStatus Status) Merge(
        List<SessionSummary> local, ListenerCounters counters, int limit)
    {
        var view = View;
        var me = settings.InstanceName;
        var now = time.GetUtcNow();
        var instances = view.Instances.Count == 0
            ? [Self(counters, now)]
            : view.Instances.Select(i => i.Name == me ? Self(counters, now) : i).ToList();
        var sessions = local.ConvertAll(s => s with { Instance = me });
        if (!view.Available)
        {
            return (sessions, counters, new ClusterStatus(me, false, instances));
        }

        sessions.AddRange(view.RemoteSessions);
        sessions.Sort(static (a, b) => b.LastActivity.CompareTo(a.LastActivity));
        if (sessions.Count > limit)
        {
            sessions.RemoveRange(limit, sessions.Count - limit);
        }

        var sum = counters;
        foreach (var other in instances)
        {
            if (other.Name != me && other is { Up: true, Counters: { } c })
            {
                sum = Add(sum, c);
            }
        }

        return (sessions, sum, new ClusterStatus(me, true, instances));
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        redis.Start();
        using var timer = new PeriodicTimer(ClusterSettings.Tick, time);
        (_previous, _previousAt) = (registry.GetTotals(), time.GetTimestamp());
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var summary = Summarize();
                ClusterView view;
                try
                {
                    view = await ExchangeAsync(summary).WaitAsync(ClusterSettings.Expiry, stoppingToken);
                    _unavailableLogged = false;
                }
                catch (Exception e) when (e is RedisException or TimeoutException or JsonException)
                {
                    if (!_unavailableLogged)
                    {
                        _unavailableLogged = true;
                        LogUnavailable(e.GetType().Name, e.Message);
                    }

                    view = Unavailable(summary);
                }

                Volatile.Write(ref _view, view);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the heartbeat simply expires.
        }
    }

    private async Task<ClusterView> ExchangeAsync(InstanceSummary summary)
    {
        if (redis.Connected is not { } connection)
        {
            return Unavailable(summary);
        }

        await actions.EnsureSubscribedAsync(connection);
        var db = connection.GetDatabase();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var json = JsonSerializer.SerializeToUtf8Bytes(summary, ClusterJson.Default.InstanceSummary);
        // Sent together (StackExchange.Redis pipelines what is not awaited in between): one round trip, then the MGET.
        var set = db.StringSetAsync(ClusterSettings.SummaryKey(summary.Name), json, ClusterSettings.Expiry);
        var beat = db.SortedSetAddAsync(ClusterSettings.InstancesKey, summary.Name, now);
        var trim = db.SortedSetRemoveRangeByScoreAsync(ClusterSettings.InstancesKey, double.NegativeInfinity,
            now - ClusterSettings.GoneRetention.TotalMilliseconds);
        var members = db.SortedSetRangeByScoreWithScoresAsync(ClusterSettings.InstancesKey, order: Order.Descending);
        await Task.WhenAll(set, beat, trim, members);

        var others = (await members).Where(m => m.Element != summary.Name).ToArray();
        var values = others.Length == 0 ? [] : await db.StringGetAsync([.. others.Select(m => ClusterSettings.SummaryKey(m.Element!))]);
        var instances = new List<InstanceStatus> { Self(summary.Counters, summary.At) };
        var sessions = new List<SessionSummary>();
        for (var i = 0; i < others.Length; i++)
        {
            var lastSeen = DateTimeOffset.FromUnixTimeMilliseconds((long)others[i].Score);
            if (values[i].IsNull)
            {
                instances.Add(new InstanceStatus(others[i].Element!, false, null, lastSeen, lastSeen + ClusterSettings.Expiry, null));
                continue;
            }

            var other = JsonSerializer.Deserialize((byte[])values[i]!, ClusterJson.Default.InstanceSummary)!;
            instances.Add(new InstanceStatus(other.Name, true, other.StartedAt, lastSeen, null, other.Counters));
            sessions.AddRange(other.Sessions.Take(ClusterSettings.SummarySessionLimit).Select(s => s with { Instance = other.Name }));
        }

        return new ClusterView(true, instances, sessions);
    }

    // This instance's counters since the last tick and its most recently active sessions.
    private InstanceSummary Summarize()
    {
        var now = time.GetTimestamp();
        var totals = registry.GetTotals();
        var counters = DashboardFeed.Counters(totals, _previous, time.GetElapsedTime(_previousAt, now));
        (_previous, _previousAt) = (totals, now);
        var sessions = DashboardFeed.MostRecentlyActive(registry, ClusterSettings.SummarySessionLimit);
        return new InstanceSummary(settings.InstanceName, _startedAt, time.GetUtcNow(), counters, sessions);
    }

    private ClusterView Unavailable(InstanceSummary summary) => new(false, [Self(summary.Counters, summary.At)], []);

    private InstanceStatus Self(ListenerCounters counters, DateTimeOffset at) =>
        new(settings.InstanceName, true, _startedAt, at, null, counters);

    private static ListenerCounters Add(ListenerCounters a, ListenerCounters b) => new(
        a.ActiveSessions + b.ActiveSessions, a.TotalSessions + b.TotalSessions, a.RefusedConnections + b.RefusedConnections,
        a.BytesIn + b.BytesIn, a.BytesOut + b.BytesOut, a.MessagesIn + b.MessagesIn, a.MessagesOut + b.MessagesOut,
        a.BytesInPerSecond + b.BytesInPerSecond, a.BytesOutPerSecond + b.BytesOutPerSecond,
        a.MessagesInPerSecond + b.MessagesInPerSecond, a.MessagesOutPerSecond + b.MessagesOutPerSecond);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cluster view is unavailable: {Kind}: {Reason} (local serving is not affected; it comes back by itself)")]
    private partial void LogUnavailable(string kind, string reason);
}
