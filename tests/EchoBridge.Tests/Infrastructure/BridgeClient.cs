using System.Text;
using EchoBridge.Contracts;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace EchoBridge.Tests.Infrastructure;

/// <summary>A real SignalR client of the bridge hub (JSON by default, MessagePack on request); every call is bounded.</summary>
public sealed class BridgeClient : IAsyncDisposable
{
    private BridgeClient(HubConnection connection) => Connection = connection;

    /// <summary>The hub connection.</summary>
    public HubConnection Connection { get; }

    /// <summary>Connects to <paramref name="host"/>'s hub.</summary>
    public static Task<BridgeClient> ConnectAsync(TestHost host, bool messagePack = false,
        Action<HttpConnectionOptions>? configure = null, string? query = null) =>
        ConnectAsync(host.Http, configure, messagePack, query);

    /// <summary>Connects to the hub under <paramref name="baseAddress"/> (a host, or a proxy in front of one).</summary>
    public static async Task<BridgeClient> ConnectAsync(Uri baseAddress, Action<HttpConnectionOptions>? configure = null,
        bool messagePack = false, string? query = null)
    {
        var url = new UriBuilder(new Uri(baseAddress, BridgeHubRoute.Path)) { Query = query ?? "" }.Uri;
        var builder = new HubConnectionBuilder().WithUrl(url, options => configure?.Invoke(options));
        if (messagePack)
        {
            builder.AddMessagePackProtocol();
        }

        var connection = builder.Build();
        await connection.StartAsync().Within();
        return new BridgeClient(connection);
    }

    /// <summary>Opens a bridge session.</summary>
    public Task<BridgeSessionInfo> OpenAsync(string target = "echo") =>
        Connection.InvokeAsync<BridgeSessionInfo>(nameof(IBridgeHub.Open), target).Within();

    /// <summary>Sends text.</summary>
    public Task SendAsync(string sessionId, string text) =>
        Connection.InvokeAsync(nameof(IBridgeHub.Send), sessionId, text).Within();

    /// <summary>Sends bytes.</summary>
    public Task SendBytesAsync(string sessionId, byte[] data) =>
        Connection.InvokeAsync(nameof(IBridgeHub.SendBytes), sessionId, data).Within();

    /// <summary>Closes a session.</summary>
    public Task CloseAsync(string sessionId) => Connection.InvokeAsync(nameof(IBridgeHub.Close), sessionId).Within();

    /// <summary>Starts the <c>Receive</c> stream of a session.</summary>
    public FrameReader Receive(string sessionId, CancellationToken cancellationToken = default) =>
        new(Connection.StreamAsync<BridgeFrame>(nameof(IBridgeHub.Receive), sessionId, cancellationToken).GetAsyncEnumerator(cancellationToken));

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await Connection.DisposeAsync().AsTask().Within();
}

/// <summary>Reads a <c>Receive</c> stream, checking that frames are numbered 1, 2, 3, … with nothing missing.</summary>
public sealed class FrameReader(IAsyncEnumerator<BridgeFrame> frames) : IAsyncDisposable
{
    private long _lastSeq;

    /// <summary>Every frame read so far.</summary>
    public List<BridgeFrame> Frames { get; } = [];

    /// <summary>The final frame's reason, once read.</summary>
    public string? Closed { get; private set; }

    /// <summary>Reads the next frame (null when the stream ended).</summary>
    public async Task<BridgeFrame?> NextAsync(TimeSpan? timeout = null)
    {
        if (!await frames.MoveNextAsync().AsTask().Within(timeout))
        {
            return null;
        }

        var frame = frames.Current;
        Assert.Equal(_lastSeq + 1, frame.Seq);
        _lastSeq = frame.Seq;
        Frames.Add(frame);
        Closed ??= frame.Closed;
        return frame;
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes of data (fails if the stream closes first).</summary>
    public async Task<byte[]> ReadBytesAsync(int count, TimeSpan? timeout = null)
    {
        var all = new MemoryStream();
        while (all.Length < count)
        {
            var frame = await NextAsync(timeout);
            Assert.True(frame is not null && frame.Closed is null, $"the stream ended after {all.Length} of {count} bytes");
            all.Write(frame.Data);
        }

        Assert.Equal(count, all.Length);
        return all.ToArray();
    }

    /// <summary>Reads until the final frame; returns all the data and the reason.</summary>
    public async Task<(byte[] Data, string Reason)> ReadToEndAsync(TimeSpan? timeout = null)
    {
        var all = new MemoryStream();
        while (await NextAsync(timeout) is { } frame)
        {
            all.Write(frame.Data);
            if (frame.Closed is { } reason)
            {
                Assert.False(await frames.MoveNextAsync().AsTask().Within(timeout), "a frame came after the final one");
                return (all.ToArray(), reason);
            }
        }

        Assert.Fail("the stream ended without a final frame");
        return default;
    }

    /// <summary>Reads text as UTF-8 until <paramref name="expected"/> has arrived.</summary>
    public async Task<string> ReadTextAsync(int byteCount) => Encoding.UTF8.GetString(await ReadBytesAsync(byteCount));

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await frames.DisposeAsync().AsTask().Within();
}
