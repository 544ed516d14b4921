using EchoBridge.Contracts;
using EchoBridge.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace EchoBridge.Tests.Bridge;

public sealed class MessagePackTests
{
    [Fact]
    public async Task A_MessagePack_client_gets_targets_snapshots_and_traffic_frames()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await BridgeClient.ConnectAsync(host, messagePack: true);
        var session = await client.OpenAsync();
        await using var frames = client.Receive(session.SessionId);
        await client.SendAsync(session.SessionId, "ñandú\r\n");
        Assert.Equal("ñandú\r\n", await frames.ReadTextAsync(9));
        await Bounded.UntilAsync(() => host.Registry.Sessions.Single().Traffic?.LastSeq >= 1, "traffic recorded");

        var targets = await client.Connection.InvokeAsync<List<TargetInfo>>(nameof(IBridgeHub.GetTargets)).Within();
        using var cancel = new CancellationTokenSource();
        var watch = client.Connection.StreamAsync<DashboardSnapshot>(nameof(IBridgeHub.Watch), cancel.Token).GetAsyncEnumerator();
        Assert.True(await watch.MoveNextAsync().AsTask().Within());
        var inspect = client.Connection.StreamAsync<TrafficFrame>(nameof(IBridgeHub.Inspect), host.Registry.Sessions.Single().Id, cancel.Token)
            .GetAsyncEnumerator();
        Assert.True(await inspect.MoveNextAsync().AsTask().Within());

        Assert.Equal("echo", Assert.Single(targets).Name);
        var listed = Assert.Single(watch.Current.Sessions);
        Assert.Equal((SessionKind.Tcp, session.SessionId, 9L), (listed.Kind, listed.BridgeSessionId, listed.BytesIn));
        Assert.Equal((1L, TrafficDirection.In), (inspect.Current.Seq, inspect.Current.Direction));
        Assert.Equal("ñandú\r\n"u8.ToArray(), inspect.Current.Data);
        await cancel.CancelAsync();
    }
}
