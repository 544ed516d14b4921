using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EchoBridge.Tests.Infrastructure;

/// <summary>A plain stream-socket client of the listener, as a telnet or Python user would have; every call is bounded.</summary>
public sealed class EchoClient : IDisposable
{
    private EchoClient(Socket socket) => Socket = socket;

    /// <summary>The underlying socket.</summary>
    public Socket Socket { get; }

    /// <summary>Connects over TCP.</summary>
    public static async Task<EchoClient> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint).Within();
        return new EchoClient(socket);
    }

    /// <summary>Connects to a Unix-domain socket.</summary>
    public static async Task<EchoClient> ConnectAsync(string unixPath)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(unixPath)).Within();
        return new EchoClient(socket);
    }

    /// <summary>Sends all of <paramref name="data"/>.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> data) => await Socket.SendAsync(data).Within();

    /// <summary>Sends text as UTF-8.</summary>
    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>Receives exactly <paramref name="count"/> bytes (fails if the server closes first).</summary>
    public async Task<byte[]> ReceiveExactlyAsync(int count, TimeSpan? timeout = null)
    {
        var buffer = new byte[count];
        using var cts = new CancellationTokenSource(timeout ?? Bounded.Step);
        var read = 0;
        while (read < count)
        {
            var n = await Socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cts.Token);
            Assert.True(n > 0, $"the server closed after {read} of {count} bytes");
            read += n;
        }

        return buffer;
    }

    /// <summary>Receives until the server closes; returns everything received.</summary>
    public async Task<byte[]> ReceiveToEndAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Bounded.Step);
        var all = new MemoryStream();
        var buffer = new byte[8192];
        while (true)
        {
            int n;
            try
            {
                n = await Socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
            {
                break;
            }

            if (n == 0)
            {
                break;
            }

            all.Write(buffer, 0, n);
        }

        return all.ToArray();
    }

    /// <summary>Receives until the server closes, as text.</summary>
    public async Task<string> ReceiveTextToEndAsync(TimeSpan? timeout = null) =>
        Encoding.UTF8.GetString(await ReceiveToEndAsync(timeout));

    /// <inheritdoc />
    public void Dispose() => Socket.Dispose();
}
