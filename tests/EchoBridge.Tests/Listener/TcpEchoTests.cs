using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Listener;

public sealed class TcpEchoTests
{
    private static readonly byte[] Goodbye = "Goodbye.\r\n"u8.ToArray();

    [Fact]
    public async Task A_client_that_sends_hola_without_a_newline_gets_hola_back()
    {
        await using var host = await TestHost.StartAsync();
        using var client = await EchoClient.ConnectAsync(host.Tcp);

        await client.SendAsync("hola");

        Assert.Equal("hola"u8.ToArray(), await client.ReceiveExactlyAsync(4));
    }

    [Fact]
    public async Task Random_binary_payloads_of_many_sizes_and_split_points_come_back_exactly_on_a_pure_endpoint()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Listener:Telnet"] = "false" });
        using var client = await EchoClient.ConnectAsync(host.Tcp);
        var random = new Random(9999);

        foreach (var size in new[] { 1, 2, 3, 63, 64, 1000, 4096, 65_536, 300_000 })
        {
            var payload = new byte[size];
            random.NextBytes(payload);
            var receiving = client.ReceiveExactlyAsync(size);
            var cuts = Enumerable.Range(0, 4).Select(_ => random.Next(0, size + 1)).Order().Prepend(0).Append(size).ToArray();
            for (var i = 0; i + 1 < cuts.Length; i++)
            {
                await client.SendAsync(payload.AsMemory(cuts[i], cuts[i + 1] - cuts[i]));
            }

            var echoed = await receiving;
            Assert.True(payload.AsSpan().SequenceEqual(echoed), $"size {size}");
        }
    }

    [Fact]
    public async Task Text_payloads_come_back_exactly_on_the_telnet_endpoint()
    {
        await using var host = await TestHost.StartAsync();
        using var client = await EchoClient.ConnectAsync(host.Tcp);
        var random = new Random(854);

        foreach (var size in new[] { 1, 10, 64, 1500, 70_000 })
        {
            var payload = new byte[size];
            random.NextBytes(payload);
            payload.AsSpan().Replace((byte)0xFF, (byte)'\n');
            var receiving = client.ReceiveExactlyAsync(size);
            await client.SendAsync(payload);
            var echoed = await receiving;
            Assert.True(payload.AsSpan().SequenceEqual(echoed), $"size {size}");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Tens_of_megabytes_flow_through_with_or_without_newlines(bool newlines)
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Listener:Telnet"] = "false" });
        using var client = await EchoClient.ConnectAsync(host.Tcp);
        const int total = 32 * 1024 * 1024;
        var chunk = new byte[64 * 1024];
        new Random(1).NextBytes(chunk);
        chunk.AsSpan().Replace((byte)'\n', (byte)'n');
        if (newlines)
        {
            for (var i = 80; i < chunk.Length; i += 81)
            {
                chunk[i] = (byte)'\n';
            }
        }

        using var sent = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var received = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var reader = Task.Run(async () =>
        {
            var buffer = new byte[256 * 1024];
            long got = 0;
            while (got < total)
            {
                var n = await client.Socket.ReceiveAsync(buffer);
                Assert.True(n > 0, $"closed after {got} bytes");
                received.AppendData(buffer, 0, n);
                got += n;
            }
        });
        for (var offset = 0; offset < total; offset += chunk.Length)
        {
            sent.AppendData(chunk);
            await client.SendAsync(chunk);
        }

        await reader.Within(TimeSpan.FromSeconds(60));
        Assert.Equal(sent.GetHashAndReset(), received.GetHashAndReset());
    }

    [Theory]
    [InlineData("quit\n")]
    [InlineData("quit\r\n")]
    [InlineData("quit\r\0")]
    public async Task Quit_line_closes_with_farewell(string line)
    {
        await using var host = await TestHost.StartAsync();
        using var client = await EchoClient.ConnectAsync(host.Tcp);

        await client.SendAsync("before\n" + line + "after\n");

        var all = await client.ReceiveToEndAsync();
        Assert.Equal(Encoding.ASCII.GetBytes("before\n" + line).Concat(Goodbye).ToArray(), all);
        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 0, "the session is gone");
    }

    [Fact]
    public async Task Quit_split_across_writes_is_still_recognised()
    {
        await using var host = await TestHost.StartAsync();
        using var client = await EchoClient.ConnectAsync(host.Tcp);

        foreach (var piece in new[] { "q", "u", "it", "\r", "\n" })
        {
            await client.SendAsync(piece);
            await client.ReceiveExactlyAsync(piece.Length); // each piece is echoed at once, before the line ends
        }

        Assert.Equal(Goodbye, await client.ReceiveToEndAsync());
    }

    [Fact]
    public async Task Telnet_negotiation_is_refused_and_Ctrl_C_ends_the_session_with_the_farewell()
    {
        await using var host = await TestHost.StartAsync();
        using var client = await EchoClient.ConnectAsync(host.Tcp);

        await client.SendAsync(new byte[] { 0xFF, 0xFD, 0x03, 0xFF, 0xFB, 0x18, (byte)'h', (byte)'i' });
        Assert.Equal(new byte[] { 0xFF, 0xFC, 0x03, 0xFF, 0xFE, 0x18, (byte)'h', (byte)'i' }, await client.ReceiveExactlyAsync(8));

        await client.SendAsync(new byte[] { 0xFF, 0xF4, 0xFF, 0xFD, 0x06 }); // Ctrl+C as Debian's telnet sends it
        Assert.Equal(Goodbye, await client.ReceiveToEndAsync());
    }

    [Fact]
    public async Task A_half_close_gets_the_whole_echo_then_a_clean_close()
    {
        await using var host = await TestHost.StartAsync();
        using var client = await EchoClient.ConnectAsync(host.Tcp);
        var payload = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("half-close ", 20_000)));

        await client.SendAsync(payload);
        client.Socket.Shutdown(SocketShutdown.Send);

        Assert.Equal(payload, await client.ReceiveToEndAsync());
        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 0, "the session is gone");
    }

    [Fact]
    public async Task Invalid_UTF8_and_NUL_bytes_come_back_and_the_listener_keeps_serving()
    {
        await using var host = await TestHost.StartAsync();
        using var client = await EchoClient.ConnectAsync(host.Tcp);
        byte[] junk = [0x00, 0xC3, 0x28, 0xE2, 0x82, 0x00, 0xF0, 0x9F, 0x98, 0x0A, 0x80, 0xBF, 0x00];

        await client.SendAsync(junk);
        Assert.Equal(junk, await client.ReceiveExactlyAsync(junk.Length));

        using var next = await EchoClient.ConnectAsync(host.Tcp);
        await next.SendAsync("still here");
        Assert.Equal("still here"u8.ToArray(), await next.ReceiveExactlyAsync(10));
    }

    [Fact]
    public async Task Resets_mid_write_leave_no_session_behind_and_the_listener_keeps_serving()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Listener:Telnet"] = "false" });
        var payload = new byte[4 * 1024 * 1024];
        for (var i = 0; i < 10; i++)
        {
            using var client = await EchoClient.ConnectAsync(host.Tcp);
            client.Socket.LingerState = new LingerOption(true, 0); // close with RST
            await client.SendAsync(payload.AsMemory(0, 1024 * 1024));
            client.Socket.Close();
        }

        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 0, "every reset session is gone");
        using var healthy = await EchoClient.ConnectAsync(host.Tcp);
        await healthy.SendAsync("ok");
        Assert.Equal("ok"u8.ToArray(), await healthy.ReceiveExactlyAsync(2));
    }

    [Fact]
    public async Task A_flood_of_connects_returns_the_count_to_zero()
    {
        await using var host = await TestHost.StartAsync();
        var clients = await Task.WhenAll(Enumerable.Range(0, 300).Select(_ => EchoClient.ConnectAsync(host.Tcp))).Within();
        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 300, "all 300 are sessions");
        foreach (var client in clients)
        {
            client.Dispose();
        }

        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 0, "the count is back to zero");
        Assert.Equal(300, host.Registry.GetTotals().TotalSessions);
    }

    [Fact]
    public async Task Sessions_record_their_counters_and_recent_traffic()
    {
        await using var host = await TestHost.StartAsync();
        using var client = await EchoClient.ConnectAsync(host.Tcp);

        await client.SendAsync("one\r\n");
        await client.ReceiveExactlyAsync(5);
        await client.SendAsync("two\n");
        await client.ReceiveExactlyAsync(4);

        var session = Assert.Single(host.Registry.Sessions);
        await Bounded.UntilAsync(() => session.BytesOut == 9, "the echo is counted");
        Assert.Equal(EchoBridge.Contracts.SessionKind.Tcp, session.Kind);
        Assert.Equal(client.Socket.LocalEndPoint!.ToString(), session.Remote);
        Assert.Equal(9, session.BytesIn);
        Assert.Equal(2, session.Lines);
        var frames = new List<EchoBridge.Contracts.TrafficFrame>();
        session.Traffic!.CopySince(0, session.TimeOf, frames);
        Assert.Equal(["one\r\n", "one\r\n", "two\n", "two\n"], frames.Select(f => Encoding.ASCII.GetString(f.Data)));
        Assert.Equal(
            [EchoBridge.Contracts.TrafficDirection.In, EchoBridge.Contracts.TrafficDirection.Out, EchoBridge.Contracts.TrafficDirection.In, EchoBridge.Contracts.TrafficDirection.Out],
            frames.Select(f => f.Direction));
    }

    [Fact]
    public async Task IPv6_loopback_is_served_too_when_binding_localhost()
    {
        if (!Socket.OSSupportsIPv6)
        {
            Assert.Fail("this machine has no IPv6; the test needs ::1");
        }

        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Listener:BindAddress"] = "localhost",
            ["Listener:Port"] = FreePort.Tcp().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var v6 = host.Endpoints.Tcp.Single(e => e.AddressFamily == AddressFamily.InterNetworkV6);
        using var client = await EchoClient.ConnectAsync(v6);
        await client.SendAsync("six");
        Assert.Equal("six"u8.ToArray(), await client.ReceiveExactlyAsync(3));
    }
}
