using System.Net.Sockets;
using EchoBridge.Bridge;
using EchoBridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EchoBridge.Tests.Bridge.WebSocket;

/// <summary>The WebSocket endpoint with a client nobody here wrote: Node's <c>ws</c> package (tests/clients).</summary>
public sealed class NodeWsClientTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("eb-ws-").FullName;

    [Theory]
    [InlineData("binary", "binary")]
    [InlineData("-", "")]
    public async Task A_MiB_of_random_bytes_goes_both_ways_unchanged(string offered, string answered)
    {
        using var target = new RawTarget();
        await using var host = await TestHost.StartAsync(target.Settings());
        var up = RandomBytes(1024 * 1024, 11);
        var down = RandomBytes(1024 * 1024, 12);
        var upFile = Path.Combine(_folder, "up");
        var downFile = Path.Combine(_folder, "down");
        await File.WriteAllBytesAsync(upFile, up);

        var running = NodeClients.RunWsClientAsync(WebSocketClients.Url(host, "/websockify?token=raw").ToString(), offered, upFile,
            down.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), downFile);
        using var accepted = await target.AcceptAsync();
        var sending = accepted.SendAsync(down, SocketFlags.None);
        var received = await RawTarget.ReadExactlyAsync(accepted, up.Length);
        await sending.Within();
        var result = await running.Within(TimeSpan.FromSeconds(30));

        Assert.Equal(answered, result.GetProperty("protocol").GetString());
        Assert.Equal(1000, result.GetProperty("code").GetInt32());
        Assert.True(up.AsSpan().SequenceEqual(received), "the target got ws's bytes unchanged");
        var echoed = await File.ReadAllBytesAsync(downFile);
        Assert.True(down.AsSpan().SequenceEqual(echoed), "ws got the target's bytes unchanged");
        await RawTarget.WaitForEndAsync(accepted, TimeSpan.FromSeconds(1)); // ws closed: the target's socket went too
    }

    [Theory]
    [InlineData("/websockify/nope", 404, "Unknown target 'nope'.")]
    [InlineData("/websockify?token=127.0.0.1:22", 403, "Targets are chosen by name from the allow-list; a host or port is never taken from a client.")]
    public async Task A_wrong_target_is_refused_before_the_upgrade(string path, int status, string body)
    {
        await using var host = await TestHost.StartAsync();

        var result = await NodeClients.RunWsClientAsync(WebSocketClients.Url(host, path).ToString(), "binary", "-", "0", "-").Within(TimeSpan.FromSeconds(30));

        Assert.Equal(status, result.GetProperty("status").GetInt32());
        Assert.Equal(body, result.GetProperty("body").GetString());
        Assert.Equal(0, host.Services.GetRequiredService<BridgeRelay>().Count);
    }

    [Fact]
    public async Task A_target_that_closes_reaches_ws_as_close_1000_with_the_reason()
    {
        using var target = new RawTarget();
        await using var host = await TestHost.StartAsync(target.Settings());

        var running = NodeClients.RunWsClientAsync(WebSocketClients.Url(host, "/websockify/raw").ToString(), "binary", "-", "1000000", "-");
        using (var accepted = await target.AcceptAsync())
        {
            await accepted.SendAsync(new byte[3], SocketFlags.None).Within();
            accepted.Shutdown(SocketShutdown.Both);
        }

        var result = await running.Within(TimeSpan.FromSeconds(30));

        Assert.Equal(1000, result.GetProperty("code").GetInt32());
        Assert.Equal("closed by target", result.GetProperty("reason").GetString());
        Assert.Equal(3, result.GetProperty("received").GetInt32());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
