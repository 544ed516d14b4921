using System.Net.Sockets;
using System.Text;
using EchoBridge.Sessions;
using EchoBridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EchoBridge.Tests.Listener;

public sealed class LimitsTests
{
    private static Task<TestHost> StartWithClockAsync(FakeTimeProvider time, Dictionary<string, string?> settings) =>
        TestHost.StartAsync(settings, builder => builder.Services.AddSingleton<TimeProvider>(time));

    [Fact]
    public async Task One_connection_over_the_limit_is_refused_at_once_and_the_process_stays_healthy()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Listener:MaxConnections"] = "3" });
        var clients = new List<EchoClient>();
        for (var i = 0; i < 3; i++)
        {
            clients.Add(await EchoClient.ConnectAsync(host.Tcp));
        }

        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 3, "three sessions are open");
        using var extra = await EchoClient.ConnectAsync(host.Tcp);

        Assert.Equal("Server busy: 3 connections are open, the most it takes. Try again later.\r\n", await extra.ReceiveTextToEndAsync());
        Assert.Equal(1, host.Registry.GetTotals().RefusedConnections);
        using var http = new HttpClient();
        Assert.Equal("Healthy", await http.GetStringAsync(host.Url("/readyz")).Within());

        clients[0].Dispose();
        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 2, "a place is free again");
        using var next = await EchoClient.ConnectAsync(host.Tcp);
        await next.SendAsync("in");
        Assert.Equal("in"u8.ToArray(), await next.ReceiveExactlyAsync(2));
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task An_idle_connection_is_told_why_and_closed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartWithClockAsync(time, new() { ["Listener:IdleTimeoutSeconds"] = "60" });
        using var client = await EchoClient.ConnectAsync(host.Tcp);
        await client.SendAsync("x");
        await client.ReceiveExactlyAsync(1);

        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(1, host.Registry.ActiveCount);
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal("\r\nIdle for 60 s; closing. Goodbye.\r\n", await client.ReceiveTextToEndAsync());
        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 0, "the idle session is gone");
    }

    [Fact]
    public async Task Traffic_keeps_a_connection_alive_and_zero_turns_the_timeout_off()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartWithClockAsync(time, new() { ["Listener:IdleTimeoutSeconds"] = "0" });
        using var client = await EchoClient.ConnectAsync(host.Tcp);
        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 1, "the session is open");

        time.Advance(TimeSpan.FromDays(2));

        await client.SendAsync("still");
        Assert.Equal("still"u8.ToArray(), await client.ReceiveExactlyAsync(5));
        Assert.Equal(1, host.Registry.ActiveCount);
    }

    [Fact]
    public async Task A_client_that_never_reads_is_held_by_backpressure_and_closed_once_stalled_past_the_timeout()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartWithClockAsync(time, new() { ["Listener:IdleTimeoutSeconds"] = "60", ["Listener:Telnet"] = "false" });
        using var client = await EchoClient.ConnectAsync(host.Tcp);
        client.Socket.Blocking = false;
        var chunk = new byte[64 * 1024];
        long sent = 0;
        const long attempt = 512L * 1024 * 1024;

        // Push until the whole chain (server pipes and both kernels' buffers) is full and stays full for half a second.
        while (sent < attempt)
        {
            var n = client.Socket.Send(chunk, 0, chunk.Length, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                if (!client.Socket.Poll(TimeSpan.FromMilliseconds(500), SelectMode.SelectWrite))
                {
                    break;
                }

                continue;
            }

            Assert.Equal(SocketError.Success, error);
            sent += n;
        }

        Assert.True(sent < 64L * 1024 * 1024, $"the server kept reading: {sent / 1024 / 1024} MiB accepted");
        var session = Assert.Single(host.Registry.Sessions);
        Assert.True(session.BytesIn < 16L * 1024 * 1024, $"the server buffered {session.BytesIn / 1024 / 1024} MiB");

        time.Advance(TimeSpan.FromSeconds(61));

        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 0, "the stalled session is closed");
    }
}
