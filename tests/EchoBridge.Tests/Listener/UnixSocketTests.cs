using EchoBridge.Contracts;
using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Listener;

public sealed class UnixSocketTests
{
    [Fact]
    public async Task The_unix_socket_echoes_with_the_same_handler_and_names_the_peer_process()
    {
        await using var host = await TestHost.StartAsync();
        using var client = await EchoClient.ConnectAsync(host.UnixPath);

        await client.SendAsync("over unix\n");
        Assert.Equal("over unix\n"u8.ToArray(), await client.ReceiveExactlyAsync(10));

        var session = Assert.Single(host.Registry.Sessions);
        Assert.Equal(SessionKind.Unix, session.Kind);
        Assert.Equal($"pid {Environment.ProcessId} uid {ProcessUser.Uid(Environment.ProcessId)}", session.Remote);

        await client.SendAsync("quit\n");
        Assert.Equal("quit\nGoodbye.\r\n"u8.ToArray(), await client.ReceiveToEndAsync());
    }

    [Fact]
    public async Task The_socket_file_is_removed_at_shutdown()
    {
        var host = await TestHost.StartAsync();
        var path = host.UnixPath;
        Assert.True(Path.Exists(path));

        await host.DisposeAsync();

        Assert.False(Path.Exists(path));
    }

    [Fact]
    public async Task A_path_that_is_not_a_socket_is_refused_with_a_clear_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"eb-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(path, "precious");
        try
        {
            var error = await Assert.ThrowsAsync<EchoBridge.Hosting.StartupException>(
                () => TestHost.StartAsync(new Dictionary<string, string?> { ["Listener:Unix:Path"] = path }));

            Assert.Equal($"Listener:Unix:Path '{path}' exists and is not a socket; remove it or choose another path", error.Message);
            Assert.Equal("precious", await File.ReadAllTextAsync(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_socket_another_server_is_serving_is_left_alone()
    {
        await using var first = await TestHost.StartAsync();

        var error = await Assert.ThrowsAsync<EchoBridge.Hosting.StartupException>(
            () => TestHost.StartAsync(new Dictionary<string, string?> { ["Listener:Unix:Path"] = first.UnixPath }));

        Assert.Contains("is in use by another running server", error.Message, StringComparison.Ordinal);
        using var client = await EchoClient.ConnectAsync(first.UnixPath);
        await client.SendAsync("alive");
        Assert.Equal("alive"u8.ToArray(), await client.ReceiveExactlyAsync(5));
    }
}
