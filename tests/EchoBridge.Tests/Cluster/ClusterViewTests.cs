using System.Net;
using System.Text;
using EchoBridge.Cluster;
using EchoBridge.Contracts;
using EchoBridge.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace EchoBridge.Tests.Cluster;

/// <summary>Several instances on one real redis-server: one view, actions routed to the owner.</summary>
public sealed class ClusterViewTests
{
    [Fact]
    public async Task A_raw_TCP_session_on_B_is_listed_on_As_Watch_with_Bs_name_and_counted_in_the_sum()
    {
        await using var cluster = await ClusterNodes.StartAsync();
        var a = await cluster.AddAsync("alpha");
        var b = await cluster.AddAsync("bravo");
        using var tcp = await EchoClient.ConnectAsync(b.Tcp);
        await tcp.SendAsync("on bravo");
        await tcp.ReceiveExactlyAsync(8);
        var onB = b.Registry.Sessions.Single();
        await using var watcher = await BridgeClient.ConnectAsync(a);

        var snapshot = await ClusterNodes.SnapshotAsync(watcher,
            s => s.Sessions.Any(x => x.Instance == "bravo" && x.Id == onB.Id && x.BytesIn == 8), "bravo's session on alpha");

        Assert.NotNull(snapshot.Cluster);
        Assert.Equal("alpha", snapshot.Cluster.Instance);
        Assert.True(snapshot.Cluster.Available);
        Assert.Contains(snapshot.Cluster.Instances, i => i is { Name: "alpha", Up: true });
        Assert.Contains(snapshot.Cluster.Instances, i => i is { Name: "bravo", Up: true, Counters.ActiveSessions: 1 });
        Assert.True(snapshot.Counters.ActiveSessions >= 1, "the sum counts bravo's session");
        Assert.DoesNotContain(snapshot.Sessions, x => x.Instance is null);
    }

    [Fact]
    public async Task The_hub_runs_on_SignalRs_Redis_backplane_under_a_channel_prefix_of_our_own()
    {
        await using var cluster = await ClusterNodes.StartAsync();
        var a = await cluster.AddAsync("alpha");
        var b = await cluster.AddAsync("bravo");
        await using var onB = await BridgeClient.ConnectAsync(b);
        var told = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var _ = onB.Connection.On<string, string>(nameof(IBridgeClient.SessionClosed), (id, reason) => told.TrySetResult($"{id}: {reason}"));

        // A broadcast from alpha's side reaches a client of bravo: only the backplane carries it there.
        var hub = a.Services.GetRequiredService<IHubContext<EchoBridge.Bridge.BridgeHub, IBridgeClient>>();
        // Sent again until it arrives: bravo's backplane subscribes in the background after its first hub connection.
        var deadline = DateTime.UtcNow + Bounded.Step;
        while (!told.Task.IsCompleted && DateTime.UtcNow < deadline)
        {
            await hub.Clients.All.SessionClosed("b1", "across the cluster").Within();
            await Task.WhenAny(told.Task, Task.Delay(50));
        }

        Assert.Equal("b1: across the cluster", await told.Task.Within());
        Assert.Contains("echobridge:signalr", await cluster.Redis.CommandAsync("PUBSUB CHANNELS echobridge:signalr*"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disconnect_and_Inspect_from_A_reach_a_session_on_B()
    {
        await using var cluster = await ClusterNodes.StartAsync();
        var a = await cluster.AddAsync("alpha");
        var b = await cluster.AddAsync("bravo");
        using var tcp = await EchoClient.ConnectAsync(b.Tcp);
        await tcp.SendAsync("first words");
        await tcp.ReceiveExactlyAsync(11);
        var onB = b.Registry.Sessions.Single();
        await using var client = await BridgeClient.ConnectAsync(a);
        await ClusterNodes.SnapshotAsync(client, s => s.Sessions.Any(x => x.Instance == "bravo"), "bravo in alpha's view");

        // Inspect from alpha: the recent traffic, then live traffic, come back through Redis.
        using var inspecting = new CancellationTokenSource(Bounded.Step);
        await using var frames = client.Connection.StreamAsync<TrafficFrame>(nameof(IBridgeHub.InspectOn), "bravo", onB.Id, inspecting.Token)
            .GetAsyncEnumerator(inspecting.Token);
        Assert.Equal("first words", await ReadTextAsync(frames, TrafficDirection.In, 11));
        await tcp.SendAsync("live");
        await tcp.ReceiveExactlyAsync(4);
        Assert.Equal("live", await ReadTextAsync(frames, TrafficDirection.In, 4));

        // Disconnect from alpha: bravo ends the session.
        await client.Connection.InvokeAsync(nameof(IBridgeHub.DisconnectOn), "bravo", onB.Id).Within();
        await Bounded.UntilAsync(() => onB.ClosedReason is not null, "bravo closed the session");
        Assert.Equal(0, await tcp.Socket.ReceiveAsync(new byte[16]).Within());
        await inspecting.CancelAsync();

        // A session bravo does not have, and an instance that does not exist: refusals in words.
        var unknown = await Assert.ThrowsAsync<HubException>(() =>
            client.Connection.InvokeAsync(nameof(IBridgeHub.DisconnectOn), "bravo", 999_999L).Within());
        Assert.Contains("Unknown listener session 999999 on 'bravo'.", unknown.Message, StringComparison.Ordinal);
        var nowhere = await Assert.ThrowsAsync<HubException>(() =>
            client.Connection.InvokeAsync(nameof(IBridgeHub.DisconnectOn), "charlie", 1L).Within());
        Assert.Contains("Unknown instance 'charlie'", nowhere.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_instance_serves_at_most_32_inspections_for_the_others_and_refuses_one_more_in_words()
    {
        await using var cluster = await ClusterNodes.StartAsync();
        // Alpha's own cap on streams per hub connection (16) is raised, so that bravo's cap is the one hit.
        await using var a = await TestHost.StartAsync(new Dictionary<string, string?>(cluster.Settings("alpha")) { ["Bridge:MaxStreamsPerConnection"] = "64" });
        var b = await cluster.AddAsync("bravo");
        using var tcp = await EchoClient.ConnectAsync(b.Tcp);
        await tcp.SendAsync("x");
        await tcp.ReceiveExactlyAsync(1);
        var onB = b.Registry.Sessions.Single();
        var served = b.Services.GetRequiredService<ClusterActions>();
        await using var client = await BridgeClient.ConnectAsync(a);
        await ClusterNodes.SnapshotAsync(client, s => s.Sessions.Any(x => x.Instance == "bravo"), "bravo in alpha's view");
        using var inspecting = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var streams = new List<IAsyncEnumerator<TrafficFrame>>();
        try
        {
            for (var i = 0; i < ClusterActions.MaxServedInspections; i++)
            {
                var stream = client.Connection.StreamAsync<TrafficFrame>(nameof(IBridgeHub.InspectOn), "bravo", onB.Id, inspecting.Token)
                    .GetAsyncEnumerator(inspecting.Token);
                streams.Add(stream);
                Assert.True(await stream.MoveNextAsync().AsTask().Within(), "the recent traffic arrives");
            }

            Assert.Equal(ClusterActions.MaxServedInspections, served.ServedInspections);
            var refused = await Assert.ThrowsAsync<HubException>(async () =>
            {
                await foreach (var _ in client.Connection.StreamAsync<TrafficFrame>(nameof(IBridgeHub.InspectOn), "bravo", onB.Id, inspecting.Token))
                {
                }
            }).Within();
            Assert.Contains("Inspection limit reached: 'bravo' already serves 32 inspections for other instances.", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            await inspecting.CancelAsync();
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }

        // Stopped streams are told to the owner, which frees their places.
        await Bounded.UntilAsync(() => served.ServedInspections == 0, "bravo stopped serving them");
    }

    [Fact]
    public async Task Redis_stopped_local_serving_goes_on_and_the_view_says_unavailable_then_comes_back_by_itself()
    {
        await using var cluster = await ClusterNodes.StartAsync();
        var a = await cluster.AddAsync("alpha");
        var b = await cluster.AddAsync("bravo");
        using var onB = await EchoClient.ConnectAsync(b.Tcp);
        await onB.SendAsync("b");
        await onB.ReceiveExactlyAsync(1);
        await using var client = await BridgeClient.ConnectAsync(a);
        var bridged = await client.OpenAsync();
        await using var replies = client.Receive(bridged.SessionId);
        await ClusterNodes.SnapshotAsync(client, s => s.Sessions.Any(x => x.Instance == "bravo"), "bravo in alpha's view");

        await cluster.Redis.StopAsync();

        var cut = await ClusterNodes.SnapshotAsync(client, s => s.Cluster is { Available: false }, "the cluster view unavailable");
        Assert.All(cut.Sessions, x => Assert.Equal("alpha", x.Instance));
        Assert.Contains(cut.Sessions, x => x.BridgeSessionId == bridged.SessionId);
        // The echo and the bridge keep serving, without waiting on Redis.
        using var tcp = await EchoClient.ConnectAsync(a.Tcp);
        await tcp.SendAsync("still here");
        Assert.Equal("still here", Encoding.UTF8.GetString(await tcp.ReceiveExactlyAsync(10)));
        await client.SendAsync(bridged.SessionId, "bridged");
        await replies.ReadBytesAsync(7);
        var second = await client.OpenAsync();
        Assert.False(string.IsNullOrEmpty(second.SessionId));
        await using (var newcomer = await BridgeClient.ConnectAsync(a))
        {
            var session = await newcomer.OpenAsync();
            await using var echoed = newcomer.Receive(session.SessionId);
            await newcomer.SendAsync(session.SessionId, "new");
            await echoed.ReadBytesAsync(3);
        }

        var cutOff = await Assert.ThrowsAsync<HubException>(() =>
            client.Connection.InvokeAsync(nameof(IBridgeHub.DisconnectOn), "bravo", 1L).Within());
        Assert.Contains("The cluster view is unavailable (Redis cannot be reached)", cutOff.Message, StringComparison.Ordinal);

        await cluster.Redis.RestartAsync();

        await ClusterNodes.SnapshotAsync(client,
            s => s.Cluster is { Available: true } && s.Sessions.Any(x => x.Instance == "bravo"), "the cluster view back",
            TimeSpan.FromSeconds(30));

        // The inboxes are subscribed again too: a routed action reaches bravo after the restart.
        var bravoSession = b.Registry.Sessions.Single();
        await client.Connection.InvokeAsync(nameof(IBridgeHub.DisconnectOn), "bravo", bravoSession.Id).Within();
        await Bounded.UntilAsync(() => bravoSession.ClosedReason is not null, "bravo ended its session on alpha's word");
    }

    [Fact]
    public async Task A_slow_Redis_holds_up_neither_the_echo_nor_the_hub()
    {
        await using var cluster = await ClusterNodes.StartAsync();
        var a = await cluster.AddAsync("alpha");
        await using var client = await BridgeClient.ConnectAsync(a);
        await ClusterNodes.SnapshotAsync(client, s => s.Cluster is { Available: true }, "the cluster view");

        // Redis answers nothing for 3 s (longer than the client's 2 s timeout).
        var sleeping = cluster.Redis.CommandAsync("DEBUG SLEEP 3");
        await Bounded.UntilAsync(() => !sleeping.IsCompleted, "redis asleep");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var tcp = await EchoClient.ConnectAsync(a.Tcp);
        await tcp.SendAsync("quick");
        await tcp.ReceiveExactlyAsync(5);
        var bridged = await client.OpenAsync();
        await using var replies = client.Receive(bridged.SessionId);
        await client.SendAsync(bridged.SessionId, "quick");
        await replies.ReadBytesAsync(5);
        await ClusterNodes.SnapshotAsync(client, s => s.Sessions.Any(x => x.BridgeSessionId == bridged.SessionId), "the new session listed");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"serving waited on Redis: {clock.Elapsed}");
        Assert.False(sleeping.IsCompleted, "Redis was still asleep throughout");
        Assert.StartsWith("+OK", await sleeping.Within(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_Redis_nothing_of_the_cluster_is_registered_and_Watch_is_as_before()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["EchoBridge:InstanceName"] = "solo" });
        Assert.Null(host.Services.GetService<ClusterFeed>());
        Assert.Null(host.Services.GetService<ClusterActions>());
        Assert.Null(host.Services.GetService<RedisLink>());
        using var tcp = await EchoClient.ConnectAsync(host.Tcp);
        await tcp.SendAsync("x");
        await using var client = await BridgeClient.ConnectAsync(host);

        var snapshot = await ClusterNodes.SnapshotAsync(client, s => s.Sessions.Count == 1, "the one session");

        Assert.Null(snapshot.Cluster);
        Assert.Null(snapshot.Sessions.Single().Instance);
        // Its own name still reaches its own sessions; any other is unknown.
        await client.Connection.InvokeAsync(nameof(IBridgeHub.DisconnectOn), "solo", snapshot.Sessions.Single().Id).Within();
        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 0, "the session ended");
        var other = await Assert.ThrowsAsync<HubException>(() =>
            client.Connection.InvokeAsync(nameof(IBridgeHub.DisconnectOn), "bravo", 1L).Within());
        Assert.Contains("Unknown instance 'bravo'.", other.Message, StringComparison.Ordinal);
    }

    private static async Task<string> ReadTextAsync(IAsyncEnumerator<TrafficFrame> frames, TrafficDirection direction, int length)
    {
        var text = new StringBuilder();
        while (text.Length < length)
        {
            Assert.True(await frames.MoveNextAsync().AsTask().Within(), "the inspection ended early");
            if (frames.Current.Direction == direction)
            {
                text.Append(Encoding.UTF8.GetString(frames.Current.Data));
            }
        }

        return text.ToString();
    }
}
