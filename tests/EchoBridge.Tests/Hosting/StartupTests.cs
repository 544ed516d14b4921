using System.Net;
using System.Net.Sockets;
using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Hosting;

public sealed class StartupTests
{
    private static async Task<(int ExitCode, string Stderr, string Stdout)> RunToFailureAsync(params string[] extra)
    {
        var socketPath = Path.Combine(Path.GetTempPath(), $"eb-{Guid.NewGuid():N}"[..11] + ".sock");
        var args = HostProcess.LoopbackArgs(FreePort.Tcp(), FreePort.Tcp(), socketPath);
        args.AddRange(extra);
        await using var server = HostProcess.Start(args);
        var code = await server.WaitForExitAsync(TimeSpan.FromSeconds(20));
        return (code, server.Stderr, server.Stdout);
    }

    private static void AssertOneClearLine(string stderr, string stdout, string expected)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got:\n{stderr}\nstdout:\n{stdout}");
        Assert.Equal("echobridge: " + expected, lines[0].TrimEnd('\r'));
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Listener:Port=70000", "Listener:Port must be between 0 and 65535 (got 70000)")]
    [InlineData("--Listener:BindAddress=not-an-address", "Listener:BindAddress must be 'localhost', 'any' or an IP address (got 'not-an-address')")]
    [InlineData("--Listener:MaxConnections=0", "Listener:MaxConnections must be at least 1 (got 0)")]
    [InlineData("--Listener:IdleTimeoutSeconds=-5", "Listener:IdleTimeoutSeconds must be 0 (off) or more (got -5)")]
    [InlineData("--Listener:Unix:Path=relative.sock", "Listener:Unix:Path must be an absolute path (got 'relative.sock')")]
    [InlineData("--Listener:Unix:Path=/no/such/dir/e.sock", "Listener:Unix:Path: directory '/no/such/dir' does not exist")]
    public async Task Bad_settings_end_the_start_with_one_line_naming_the_setting(string arg, string expected)
    {
        var (code, stderr, stdout) = await RunToFailureAsync(arg);

        Assert.NotEqual(0, code);
        AssertOneClearLine(stderr, stdout, expected);
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_names_the_setting()
    {
        var (code, stderr, stdout) = await RunToFailureAsync("--Listener:Port=abc");

        Assert.NotEqual(0, code);
        Assert.Contains("Listener:Port", stderr, StringComparison.Ordinal);
        AssertOneClearLine(stderr, stdout, stderr.Split('\n')[0]["echobridge: ".Length..].TrimEnd('\r'));
    }

    [Fact]
    public async Task A_misspelt_setting_is_an_error_not_silently_ignored()
    {
        var (code, stderr, _) = await RunToFailureAsync("--Listener:Prot=9000");

        Assert.NotEqual(0, code);
        Assert.Contains("Prot", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_ends_the_start_with_one_line()
    {
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        squatter.Listen();
        var port = ((IPEndPoint)squatter.LocalEndPoint!).Port;

        var (code, stderr, stdout) = await RunToFailureAsync($"--Listener:Port={port}");

        Assert.NotEqual(0, code);
        AssertOneClearLine(stderr, stdout,
            $"Listener:Port: TCP 127.0.0.1:{port} is already in use");
    }

    [Fact]
    public async Task A_UDP_port_in_use_ends_the_start_with_one_line()
    {
        var port = FreePort.Tcp();
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, port));

        var (code, stderr, stdout) = await RunToFailureAsync($"--Listener:Port={port}");

        Assert.NotEqual(0, code);
        AssertOneClearLine(stderr, stdout, $"Listener:Port: UDP 127.0.0.1:{port} is already in use");
    }

    [Fact]
    public async Task After_kill_9_with_clients_connected_a_restart_binds_the_same_port_at_once()
    {
        var (echoPort, httpPort) = (FreePort.Tcp(), FreePort.Tcp());
        var socketPath = Path.Combine(Path.GetTempPath(), $"eb-{Guid.NewGuid():N}"[..11] + ".sock");
        var args = HostProcess.LoopbackArgs(echoPort, httpPort, socketPath);
        var endPoint = new IPEndPoint(IPAddress.Loopback, echoPort);

        await using (var first = HostProcess.Start(args))
        {
            await first.WaitUntilReadyAsync(httpPort);
            using var tcp = await EchoClient.ConnectAsync(endPoint);
            using var unix = await EchoClient.ConnectAsync(socketPath);
            await tcp.SendAsync("a");
            await tcp.ReceiveExactlyAsync(1);

            first.Signal(9);
            await first.WaitForExitAsync();
            Assert.True(Path.Exists(socketPath), "a crash leaves the socket file behind");
        }

        await using var second = HostProcess.Start(args);
        await second.WaitUntilReadyAsync(httpPort);
        using var again = await EchoClient.ConnectAsync(endPoint);
        await again.SendAsync("back");
        Assert.Equal("back"u8.ToArray(), await again.ReceiveExactlyAsync(4));
        using var unixAgain = await EchoClient.ConnectAsync(socketPath);
        await unixAgain.SendAsync("unix");
        Assert.Equal("unix"u8.ToArray(), await unixAgain.ReceiveExactlyAsync(4));
    }
}
