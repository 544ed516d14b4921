using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Listener;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Stopping_tells_every_stream_session_and_closes_it()
    {
        var host = await TestHost.StartAsync();
        using var tcp = await EchoClient.ConnectAsync(host.Tcp);
        using var unix = await EchoClient.ConnectAsync(host.UnixPath);
        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 2, "both sessions are open");

        var stopping = host.DisposeAsync().AsTask();

        Assert.Equal("Server shutting down. Goodbye.\r\n", await tcp.ReceiveTextToEndAsync());
        Assert.Equal("Server shutting down. Goodbye.\r\n", await unix.ReceiveTextToEndAsync());
        await stopping.Within(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task SIGTERM_tells_sessions_and_exits_0_within_a_few_seconds()
    {
        var (echoPort, httpPort) = (FreePort.Tcp(), FreePort.Tcp());
        var socketPath = Path.Combine(Path.GetTempPath(), $"eb-{Guid.NewGuid():N}"[..11] + ".sock");
        await using var server = HostProcess.Start(HostProcess.LoopbackArgs(echoPort, httpPort, socketPath));
        await server.WaitUntilReadyAsync(httpPort);
        using var client = await EchoClient.ConnectAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, echoPort));
        await client.SendAsync("hi");
        await client.ReceiveExactlyAsync(2);

        server.Signal(15);

        Assert.Equal("Server shutting down. Goodbye.\r\n", await client.ReceiveTextToEndAsync());
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(5)));
        Assert.False(Path.Exists(socketPath), "the socket file is removed");
    }
}
