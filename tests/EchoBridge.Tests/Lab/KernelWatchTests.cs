using System.Net;
using System.Net.Sockets;
using System.Text;
using EchoBridge.Lab;
using EchoBridge.Listener;
using EchoBridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EchoBridge.Tests.Lab;

/// <summary>The kernel's view of the echo port against the real product and real sockets (Linux only: /proc).</summary>
public sealed class KernelWatchTests
{
    [Fact]
    public async Task Connections_show_as_established_on_both_ends_the_listener_with_its_backlog_and_the_server_that_closes_first_in_time_wait()
    {
        Assert.True(OperatingSystem.IsLinux(), "the kernel view is read from Linux /proc");
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Listener:Backlog"] = "7" });
        var watch = host.Services.GetRequiredService<KernelSocketWatch>();
        var port = host.Tcp.Port;
        Assert.False(watch.IsReading);

        using var quitter = await EchoClient.ConnectAsync(host.Tcp);
        using var stayer = await EchoClient.ConnectAsync(host.Tcp);
        var quitterPort = ((IPEndPoint)quitter.Socket.LocalEndPoint!).Port;
        var stayerPort = ((IPEndPoint)stayer.Socket.LocalEndPoint!).Port;
        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var snapshots = watch.WatchAsync(watching.Token).GetAsyncEnumerator(watching.Token);

        var seen = await NextAsync(snapshots, s =>
            s.Sockets.Any(r => r.State == TcpState.Listen && r.Local.Port == port)
            && new[] { quitterPort, stayerPort }.All(client => BothEnds(s, port, client, TcpState.Established)));
        Assert.True(watch.IsReading);
        Assert.Null(seen.Unavailable);
        Assert.Equal([port], seen.Ports);
        Assert.Equal(7, seen.Backlog);
        Assert.False(seen.Truncated);
        Assert.Equal(0, seen.Sockets.Single(r => r.State == TcpState.Listen).AcceptQueue);

        // quit: the server says goodbye and closes first, so its end of the connection waits in TIME_WAIT.
        await quitter.SendAsync("quit\r\n");
        Assert.Contains("Goodbye", await quitter.ReceiveTextToEndAsync());
        quitter.Socket.Close();
        await NextAsync(snapshots, s => s.Sockets.Any(r =>
            r.State == TcpState.TimeWait && r.Local.Port == port && r.Remote.Port == quitterPort));

        await snapshots.DisposeAsync();
        await Bounded.UntilAsync(() => !watch.IsReading && watch.Watchers == 0, "nobody watches and the reading stops");
    }

    [Fact]
    public async Task A_client_that_closes_first_leaves_its_own_end_in_time_wait_and_the_server_end_gone()
    {
        Assert.True(OperatingSystem.IsLinux(), "the kernel view is read from Linux /proc");
        await using var host = await TestHost.StartAsync();
        var watch = host.Services.GetRequiredService<KernelSocketWatch>();
        var port = host.Tcp.Port;
        using var client = await EchoClient.ConnectAsync(host.Tcp);
        var clientPort = ((IPEndPoint)client.Socket.LocalEndPoint!).Port;
        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var snapshots = watch.WatchAsync(watching.Token).GetAsyncEnumerator(watching.Token);
        await NextAsync(snapshots, s => BothEnds(s, port, clientPort, TcpState.Established));

        // The client closes first (its FIN goes out before the server's), so TIME_WAIT is the client's to wait out,
        // and the server's end (LAST_ACK, then closed) leaves the table.
        client.Socket.Shutdown(SocketShutdown.Send);
        await client.ReceiveTextToEndAsync(); // the server answers the FIN with its own once the echo is out
        client.Socket.Close();
        await NextAsync(snapshots, s =>
            s.Sockets.Any(r => r.State == TcpState.TimeWait && r.Local.Port == clientPort && r.Remote.Port == port)
            && !s.Sockets.Any(r => r.Local.Port == port && r.Remote.Port == clientPort));
    }

    [Fact]
    public async Task A_paused_listener_queues_clients_up_to_the_backlog_then_serves_every_one_in_order_after_resuming()
    {
        Assert.True(OperatingSystem.IsLinux(), "the kernel view is read from Linux /proc");
        const int backlog = 4;
        const int clients = 8;
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Listener:Backlog"] = $"{backlog}" });
        var listener = host.Services.GetRequiredService<EchoListener>();
        var watch = host.Services.GetRequiredService<KernelSocketWatch>();
        var port = host.Tcp.Port;
        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var snapshots = watch.WatchAsync(watching.Token).GetAsyncEnumerator(watching.Token);

        listener.PauseAccepting(TimeSpan.FromSeconds(60));
        Assert.True(listener.IsAcceptPaused);
        var sockets = new List<Socket>();
        var connecting = new List<Task>();
        try
        {
            // The kernel completes handshakes while the queue holds fewer than backlog + 1; later SYNs it drops (the
            // client retries them), so those clients stay in SYN_SENT.
            for (var i = 0; i < clients; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                sockets.Add(socket);
                var connect = socket.ConnectAsync(host.Tcp);
                connecting.Add(connect);
                if (i <= backlog)
                {
                    await connect.Within();
                    await socket.SendAsync(Encoding.ASCII.GetBytes($"client {i}\r\n")).Within(); // waits in the kernel
                }
            }

            var full = await NextAsync(snapshots, s =>
                s.Sockets.Any(r => r.State == TcpState.Listen && r.AcceptQueue == backlog + 1)
                && s.Sockets.Count(r => r.State == TcpState.SynSent && r.Remote.Port == port) == clients - backlog - 1);
            Assert.Empty(host.Registry.Sessions);
            Assert.Equal(backlog, full.Backlog);

            listener.ResumeAccepting();
            Assert.False(listener.IsAcceptPaused);
            await Task.WhenAll(connecting).Within(TimeSpan.FromSeconds(15)); // the dropped SYNs' retries get in now
            for (var i = backlog + 1; i < clients; i++)
            {
                await sockets[i].SendAsync(Encoding.ASCII.GetBytes($"client {i}\r\n")).Within();
            }

            for (var i = 0; i < clients; i++)
            {
                var expected = Encoding.ASCII.GetBytes($"client {i}\r\n");
                var echoed = new byte[expected.Length];
                await sockets[i].ReceiveAsync(echoed.AsMemory(), SocketFlags.None).AsTask().Within();
                Assert.Equal(expected, echoed);
            }

            // Accepted in the order the kernel queued them: session ids follow the clients' connect order.
            var byId = host.Registry.Sessions.OrderBy(s => s.Id).Select(s => s.Remote).Take(backlog + 1);
            Assert.Equal(sockets.Take(backlog + 1).Select(s => s.LocalEndPoint!.ToString()), byId);
            await NextAsync(snapshots, s => s.Sockets.Any(r => r.State == TcpState.Listen && r.AcceptQueue == 0));
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task A_pause_resumes_by_itself_after_its_timeout()
    {
        await using var host = await TestHost.StartAsync();
        var listener = host.Services.GetRequiredService<EchoListener>();

        listener.PauseAccepting(TimeSpan.FromMilliseconds(300));
        using var client = await EchoClient.ConnectAsync(host.Tcp);
        await client.SendAsync("hola\r\n");

        Assert.Equal("hola\r\n"u8.ToArray(), await client.ReceiveExactlyAsync(6));
        Assert.False(listener.IsAcceptPaused);
        Assert.Throws<ArgumentOutOfRangeException>(() => listener.PauseAccepting(EchoListener.MaxPause + TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => listener.PauseAccepting(TimeSpan.Zero));
    }

    [Fact]
    public async Task Watchers_beyond_the_cap_are_refused_and_a_read_is_bounded_in_rows()
    {
        await using var host = await TestHost.StartAsync();
        var watch = host.Services.GetRequiredService<KernelSocketWatch>();
        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var enumerators = Enumerable.Range(0, KernelSocketWatch.MaxWatchers)
            .Select(_ => watch.WatchAsync(watching.Token).GetAsyncEnumerator(watching.Token)).ToList();
        try
        {
            foreach (var e in enumerators)
            {
                Assert.True(await e.MoveNextAsync().Within());
            }

            Assert.Equal(KernelSocketWatch.MaxWatchers, watch.Watchers);
            await using var oneMore = watch.WatchAsync(watching.Token).GetAsyncEnumerator(watching.Token);
            await Assert.ThrowsAsync<InvalidOperationException>(async () => await oneMore.MoveNextAsync().Within());
        }
        finally
        {
            foreach (var e in enumerators)
            {
                await e.DisposeAsync();
            }
        }

        Assert.Equal(0, watch.Watchers);
        Assert.False(watch.IsReading);
        Assert.InRange(watch.ReadOnce().Sockets.Count, 1, KernelSocketWatch.MaxRows);
    }

    private static bool BothEnds(KernelSnapshot s, int port, int client, TcpState state) =>
        s.Sockets.Any(r => r.State == state && r.Local.Port == client && r.Remote.Port == port)
        && s.Sockets.Any(r => r.State == state && r.Local.Port == port && r.Remote.Port == client);

    // The next snapshot that matches; bounded by the enumerator's cancellation and a step bound per snapshot.
    private static async Task<KernelSnapshot> NextAsync(IAsyncEnumerator<KernelSnapshot> snapshots, Func<KernelSnapshot, bool> match)
    {
        var deadline = DateTime.UtcNow + Bounded.Step;
        KernelSnapshot? last = null;
        while (DateTime.UtcNow < deadline)
        {
            Assert.True(await snapshots.MoveNextAsync().Within(), "the watch ended");
            last = snapshots.Current;
            if (match(last))
            {
                return last;
            }
        }

        Assert.Fail($"no matching snapshot; the last: {string.Join("; ", last?.Sockets.Select(r => $"{TcpStateText.Name(r.State)} {r.Local}->{r.Remote} tx {r.TxQueue} rx {r.RxQueue}") ?? [])}");
        return null!;
    }
}
