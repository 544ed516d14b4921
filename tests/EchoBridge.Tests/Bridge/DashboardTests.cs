using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using EchoBridge.Contracts;
using EchoBridge.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace EchoBridge.Tests.Bridge;

public sealed class DashboardTests
{
    [Fact]
    public async Task Watch_shows_endpoints_counters_and_the_linked_bridge_session()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await BridgeClient.ConnectAsync(host);
        var session = await client.OpenAsync();
        await using var frames = client.Receive(session.SessionId);
        await client.SendAsync(session.SessionId, "hello\r\n");
        await frames.ReadBytesAsync(7);

        var snapshot = await FirstSnapshotAsync(client, s => s.Sessions.Any(x => x.BridgeSessionId == session.SessionId && x.BytesIn == 7));

        Assert.Contains(snapshot.Endpoints, e => e.Protocol == "tcp" && e.Address == host.Tcp.ToString() && e.Bound);
        Assert.Contains(snapshot.Endpoints, e => e.Protocol == "unix");
        Assert.Contains(snapshot.Endpoints, e => e.Protocol == "udp");
        Assert.Equal(1, snapshot.Counters.ActiveSessions);
        Assert.Equal(session.LocalEndPoint, snapshot.Sessions.Single().Remote);
        Assert.False(string.IsNullOrEmpty(snapshot.Version));
    }

    [Fact]
    public async Task Watch_stays_at_one_shared_snapshot_per_tick_of_bounded_size_under_a_traffic_flood()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Listener:Telnet"] = "false",
            ["Bridge:WatchIntervalMilliseconds"] = "100",
            ["Bridge:WatchSessionLimit"] = "5",
        });
        using var flooding = new CancellationTokenSource();
        var flooders = Enumerable.Range(0, 20).Select(_ => FloodAsync(host, flooding.Token)).ToList();
        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 20 && host.Registry.GetTotals().BytesIn > 1_000_000, "the flood is on");
        var watchers = new List<BridgeClient>();
        for (var i = 0; i < 3; i++)
        {
            watchers.Add(await BridgeClient.ConnectAsync(host));
        }

        var feed = host.Services.GetDashboardFeed();
        var computedBefore = feed.SnapshotsComputed;
        var clock = Stopwatch.StartNew();
        var seen = await Task.WhenAll(watchers.Select(w => TakeSnapshotsAsync(w, 12)));
        var elapsed = clock.Elapsed;
        var computed = feed.SnapshotsComputed - computedBefore;
        await flooding.CancelAsync();
        await Task.WhenAll(flooders).Within();
        foreach (var watcher in watchers)
        {
            await watcher.DisposeAsync();
        }

        // Rate: 12 snapshots need about 11 ticks of 100 ms, however much traffic flows.
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(11 * 100 * 0.5), $"12 snapshots in {elapsed}");
        // Shared: three watchers, yet one snapshot computed per tick (not one per watcher).
        Assert.InRange(computed, 11, 20); // one per watcher would be 36
        foreach (var snapshot in seen.SelectMany(s => s))
        {
            Assert.InRange(snapshot.Sessions.Count, 1, 5);
            Assert.Equal(20, snapshot.Counters.ActiveSessions);
            Assert.True(snapshot.Sessions.Select(s => s.LastActivity).SequenceEqual(snapshot.Sessions.Select(s => s.LastActivity).OrderDescending()),
                "sessions are ordered by last activity");
            Assert.InRange(JsonSerializer.Serialize(snapshot).Length, 100, 4096);
        }

        Assert.Contains(seen.SelectMany(s => s), s => s.Counters.BytesInPerSecond > 0 && s.Counters.BytesOutPerSecond > 0);
        var first = seen[0];
        Assert.True(first[^1].Counters.BytesIn > first[0].Counters.BytesIn, "the counters move with the flood");
    }

    [Fact]
    public async Task Inspect_streams_recent_then_live_traffic_in_both_directions()
    {
        await using var host = await TestHost.StartAsync();
        using var telnet = await EchoClient.ConnectAsync(host.Tcp);
        await telnet.SendAsync("first\r\n");
        await telnet.ReceiveExactlyAsync(7);
        await Bounded.UntilAsync(() => host.Registry.Sessions.Single().Traffic?.LastSeq >= 2, "both directions recorded");
        var id = host.Registry.Sessions.Single().Id;
        await using var client = await BridgeClient.ConnectAsync(host);
        using var cancel = new CancellationTokenSource();
        var frames = client.Connection.StreamAsync<TrafficFrame>(nameof(IBridgeHub.Inspect), id, cancel.Token).GetAsyncEnumerator();

        var recent = await NextAsync(frames);
        var recentEcho = await NextAsync(frames);
        await telnet.SendAsync("second\r\n");
        var live = await NextAsync(frames);

        Assert.Equal((1, TrafficDirection.In, "first\r\n"), (recent.Seq, recent.Direction, Encoding.UTF8.GetString(recent.Data)));
        Assert.Equal((2, TrafficDirection.Out, "first\r\n"), (recentEcho.Seq, recentEcho.Direction, Encoding.UTF8.GetString(recentEcho.Data)));
        Assert.Equal((3, TrafficDirection.In, "second\r\n"), (live.Seq, live.Direction, Encoding.UTF8.GetString(live.Data)));
        await cancel.CancelAsync();
    }

    [Fact]
    public async Task Inspect_ends_when_the_session_ends()
    {
        await using var host = await TestHost.StartAsync();
        var telnet = await EchoClient.ConnectAsync(host.Tcp);
        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 1, "the session opened");
        await using var client = await BridgeClient.ConnectAsync(host);
        var frames = client.Connection.StreamAsync<TrafficFrame>(nameof(IBridgeHub.Inspect), host.Registry.Sessions.Single().Id).GetAsyncEnumerator();
        await telnet.SendAsync("bye\r\n");
        Assert.Equal(TrafficDirection.In, (await NextAsync(frames)).Direction);

        telnet.Dispose();

        while (await frames.MoveNextAsync().AsTask().Within())
        {
            // the echo of "bye", if it was recorded before the close
        }

        Assert.Equal(0, host.Registry.ActiveCount);
    }

    [Fact]
    public async Task Disconnect_kicks_a_telnet_client()
    {
        await using var host = await TestHost.StartAsync();
        using var telnet = await EchoClient.ConnectAsync(host.Tcp);
        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 1, "the session opened");
        await using var client = await BridgeClient.ConnectAsync(host);

        await client.Connection.InvokeAsync(nameof(IBridgeHub.Disconnect), host.Registry.Sessions.Single().Id).Within();

        Assert.Contains("Goodbye", await telnet.ReceiveTextToEndAsync(), StringComparison.Ordinal);
        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 0, "the session closed");
    }

    private static async Task<TrafficFrame> NextAsync(IAsyncEnumerator<TrafficFrame> frames)
    {
        Assert.True(await frames.MoveNextAsync().AsTask().Within(), "the inspect stream ended early");
        return frames.Current;
    }

    private static async Task<DashboardSnapshot> FirstSnapshotAsync(BridgeClient client, Func<DashboardSnapshot, bool> condition)
    {
        using var cancel = new CancellationTokenSource(Bounded.Step);
        await foreach (var snapshot in client.Connection.StreamAsync<DashboardSnapshot>(nameof(IBridgeHub.Watch), cancel.Token))
        {
            if (condition(snapshot))
            {
                await cancel.CancelAsync();
                return snapshot;
            }
        }

        Assert.Fail("no snapshot matched");
        return null!;
    }

    private static async Task<List<DashboardSnapshot>> TakeSnapshotsAsync(BridgeClient client, int count)
    {
        using var cancel = new CancellationTokenSource(Bounded.Step);
        var list = new List<DashboardSnapshot>();
        await foreach (var snapshot in client.Connection.StreamAsync<DashboardSnapshot>(nameof(IBridgeHub.Watch), cancel.Token))
        {
            list.Add(snapshot);
            if (list.Count == count)
            {
                await cancel.CancelAsync();
                break;
            }
        }

        Assert.Equal(count, list.Count);
        return list;
    }

    private static async Task FloodAsync(TestHost host, CancellationToken cancellationToken)
    {
        using var client = await EchoClient.ConnectAsync(host.Tcp);
        var chunk = new byte[8 * 1024];
        var echo = new byte[chunk.Length];
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await client.Socket.SendAsync(chunk, SocketFlags.None, cancellationToken);
                for (var read = 0; read < echo.Length;)
                {
                    read += await client.Socket.ReceiveAsync(echo.AsMemory(read), SocketFlags.None, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The test is over.
        }
    }
}
