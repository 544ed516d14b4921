using System.Net;
using System.Net.Sockets;

namespace EchoBridge.Bench.Hostile;

/// <summary>
/// Hostile clients come from loopback addresses of their own (all of 127/8 is loopback on Linux): 127.0.0.10 and up,
/// a block of <c>perAddress</c> clients each, so that a phase meets the budget it is about rather than a per-address
/// cap. Veterans keep 127.0.0.1.
/// </summary>
public static class LoopbackSources
{
    /// <summary>The first address of a phase's clients: 127.0.0.10.</summary>
    public const int First = 10;

    /// <summary>The last usable: 127.0.0.254.</summary>
    public const int Last = 254;

    /// <summary>How many addresses <paramref name="clients"/> need at <paramref name="perAddress"/> each.</summary>
    public static int AddressesFor(int clients, int perAddress) => clients <= 0 ? 0 : (clients + perAddress - 1) / perAddress;

    /// <summary>The source address of client <paramref name="index"/>, from 127.0.0.(<see cref="First"/> + <paramref name="offset"/>) on.</summary>
    public static IPAddress Of(int index, int perAddress, int offset = 0) =>
        new([127, 0, 0, checked((byte)(First + offset + index / perAddress))]);

    /// <summary>A TCP socket bound to <paramref name="source"/> (port chosen by the kernel).</summary>
    public static Socket BoundTcp(IPAddress source)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Connects <paramref name="socket"/>; false when it was not accepted within <paramref name="timeout"/> or refused.</summary>
    public static async Task<bool> TryConnectAsync(Socket socket, EndPoint server, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(server, limit.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>An HTTP handler whose connections come from <paramref name="source"/>: for WebSockets and hub connections.</summary>
    public static SocketsHttpHandler HandlerFrom(IPAddress source) => new()
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = BoundTcp(source);
            socket.NoDelay = true;
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    /// <summary>
    /// Whether the server already spoke to or closed <paramref name="socket"/> unasked (<c>Server busy …</c> and a close):
    /// an echo session says nothing until spoken to.
    /// </summary>
    public static bool WasTurnedAway(Socket socket)
    {
        try
        {
            return socket.Poll(0, SelectMode.SelectRead);
        }
        catch (SocketException)
        {
            return true;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }
}
