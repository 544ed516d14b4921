using System.Net;
using System.Net.Sockets;

namespace EchoBridge.Bench.Load;

/// <summary>Connecting a bench socket: bounded in time, and the socket disposed if it does not connect.</summary>
public static class SocketConnect
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>Connects <paramref name="socket"/> to <paramref name="endPoint"/>, or disposes it and throws.</summary>
    public static async Task<Socket> ConnectAsync(Socket socket, EndPoint endPoint, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await socket.ConnectAsync(endPoint, timeout.Token);
            return socket;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new EchoException($"connecting to {endPoint} took more than {Timeout.TotalSeconds:0} s");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
