using System.Net;
using System.Net.Sockets;
using EchoBridge.Bridge;
using EchoBridge.Contracts;
using EchoBridge.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace EchoBridge.Tests.Bridge;

public sealed class BackpressureTests
{
    [Fact]
    public async Task Without_a_reader_the_bridge_buffers_a_few_frames_and_loses_nothing()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Listener:Telnet"] = "false" });
        await using var client = await BridgeClient.ConnectAsync(host);
        var info = await client.OpenAsync();
        var session = host.Services.GetBridgeSessions().Get(client.Connection.ConnectionId!, info.SessionId);
        var payload = new byte[256 * 1024];
        new Random(7).NextBytes(payload);

        for (var offset = 0; offset < payload.Length; offset += 16 * 1024)
        {
            await client.SendBytesAsync(info.SessionId, payload[offset..(offset + 16 * 1024)]);
        }

        // The pump stops at the channel's capacity: the rest waits in the kernel, pushing back on the target.
        await Bounded.UntilAsync(() => session.BufferedFrames == HubSession.FrameCapacity, "the channel is full");
        Assert.Equal(HubSession.FrameCapacity, session.FramesRead);

        await using var frames = client.Receive(info.SessionId);
        var echoed = await frames.ReadBytesAsync(payload.Length);

        Assert.True(payload.AsSpan().SequenceEqual(echoed));
    }

    [Fact]
    public async Task A_target_that_ends_while_nobody_receives_is_reported_with_SessionClosed()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await BridgeClient.ConnectAsync(host);
        var closed = new TaskCompletionSource<(string, string)>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Connection.On<string, string>(nameof(IBridgeClient.SessionClosed), (id, reason) => closed.TrySetResult((id, reason)));
        var session = await client.OpenAsync();

        await client.SendAsync(session.SessionId, "quit\n");

        Assert.Equal((session.SessionId, "quit"), await closed.Task.Within());
    }

    [Fact]
    public async Task A_send_to_a_target_that_does_not_read_is_refused_after_the_send_timeout()
    {
        using var deaf = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        deaf.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        deaf.Listen();
        var accepting = deaf.AcceptAsync(); // accepted, never read
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Bridge:Targets:deaf:Host"] = "127.0.0.1",
            ["Bridge:Targets:deaf:Port"] = ((IPEndPoint)deaf.LocalEndPoint!).Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Bridge:SendTimeoutSeconds"] = "1",
        });
        await using var client = await BridgeClient.ConnectAsync(host);
        var session = await client.OpenAsync("deaf");
        using var accepted = await accepting.Within();
        var chunk = new byte[16 * 1024];
        string? refusal = null;

        for (var sent = 0; refusal is null && sent < 1000; sent++)
        {
            try
            {
                await client.SendBytesAsync(session.SessionId, chunk);
            }
            catch (HubException ex)
            {
                refusal = ex.Message;
            }
        }

        Assert.NotNull(refusal);
        Assert.EndsWith("Target 'deaf' is not reading: the send did not complete within 1 s. The session is closed.", refusal, StringComparison.Ordinal);
        Assert.Equal(0, host.Services.GetBridgeSessions().Count);
        Assert.Single(await client.Connection.InvokeAsync<List<TargetInfo>>(nameof(IBridgeHub.GetTargets)).Within(), t => t.Name == "deaf");
    }
}
