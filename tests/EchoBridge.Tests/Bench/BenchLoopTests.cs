extern alias bench;

using bench::EchoBridge.Bench.Cli;
using bench::EchoBridge.Bench.Load;
using EchoBridge.Bridge;
using EchoBridge.Contracts;
using EchoBridge.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace EchoBridge.Tests.Bench;

/// <summary>The bench tool's connections against the real product: what its published figures rest on.</summary>
public sealed class BenchLoopTests
{
    [Fact]
    public async Task A_send_the_server_refuses_ends_the_loop_with_the_refusal_instead_of_waiting_for_an_echo()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Bridge:SendRatePerSecond"] = "1",
            ["Bridge:SendBurst"] = "1",
        });
        var hub = new HubClientSettings(new Uri(host.Http, BridgeHubRoute.Path), "echo", Bytes: false, HubProtocol.Json,
            NoWait: false, SessionsPerConnection: 1);
        var messages = new MessageSet(64);
        await using var loop = await HubEchoLoop.OpenAsync(hub, messages, new HubPayloads(messages), CancellationToken.None).Within();

        Assert.Equal(EchoOutcome.Intact, await loop.EchoOnceAsync(0).Within()); // the burst's one send
        var refused = await Assert.ThrowsAsync<HubException>(() => loop.EchoOnceAsync(1).AsTask().Within());
        Assert.Contains("Send rate limit reached", refused.Message);
    }

    [Fact]
    public async Task Sessions_sharing_a_hub_connection_each_echo_and_the_last_one_closes_it()
    {
        await using var host = await TestHost.StartAsync();
        var hub = new HubClientSettings(new Uri(host.Http, BridgeHubRoute.Path), "echo", Bytes: false, HubProtocol.MessagePack,
            NoWait: true, SessionsPerConnection: 3);
        var messages = new MessageSet(64);
        var payloads = new HubPayloads(messages);
        var connections = new SharedHubConnections(hub, sessions: 5);

        var shared = new SharedHubConnection[5];
        var loops = new HubEchoLoop[5];
        for (var i = 0; i < 5; i++)
        {
            shared[i] = await connections.GetAsync(i, CancellationToken.None).Within();
            loops[i] = await HubEchoLoop.OpenAsync(shared[i], messages, payloads, hub, CancellationToken.None).Within();
        }

        Assert.Same(shared[0], shared[2]); // sessions 0-2 on the first connection, 3-4 on the second
        Assert.NotSame(shared[2], shared[3]);
        Assert.Same(shared[3], shared[4]);
        Assert.Equal(5, host.Services.GetRequiredService<BridgeSessions>().Count);
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(EchoOutcome.Intact, await loops[i].EchoOnceAsync(round * 5 + i).Within());
                Assert.True(loops[i].IsOpenAndQuiet());
            }
        }

        await loops[3].DisposeAsync().AsTask().Within();
        Assert.Equal(HubConnectionState.Connected, shared[4].Connection.State); // session 4 still uses it
        await loops[4].DisposeAsync().AsTask().Within();
        Assert.Equal(HubConnectionState.Disconnected, shared[4].Connection.State);
        Assert.Equal(HubConnectionState.Connected, shared[0].Connection.State);
        for (var i = 0; i < 3; i++)
        {
            await loops[i].DisposeAsync().AsTask().Within();
        }

        Assert.Equal(HubConnectionState.Disconnected, shared[0].Connection.State);
    }

    [Fact]
    public async Task An_idle_connection_the_server_turned_away_is_not_open_and_quiet()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Listener:MaxConnections"] = "1" });
        var messages = new MessageSet(2);
        await using var served = await StreamEchoLoop.OpenAsync(host.Tcp, messages, CancellationToken.None).Within();
        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 1, "the first connection is a session");

        await using var refused = await StreamEchoLoop.OpenAsync(host.Tcp, messages, CancellationToken.None).Within();

        await Bounded.UntilAsync(() => !refused.IsOpenAndQuiet(), "the second connection is told the server is busy");
        Assert.True(served.IsOpenAndQuiet());
        Assert.Equal(EchoOutcome.Intact, await served.EchoOnceAsync(0).Within());
    }

    [Theory]
    [InlineData(HubProtocol.Json)]
    [InlineData(HubProtocol.MessagePack)]
    public async Task Dashboard_watchers_read_snapshots_in_either_protocol(HubProtocol protocol)
    {
        await using var host = await TestHost.StartAsync();

        await using var watchers = await DashboardWatchers.StartAsync(new Uri(host.Http, BridgeHubRoute.Path), 2, protocol, CancellationToken.None).Within();

        Assert.True(watchers.Snapshots >= 2, $"each watcher had its first snapshot ({watchers.Snapshots} in all)");
    }
}
