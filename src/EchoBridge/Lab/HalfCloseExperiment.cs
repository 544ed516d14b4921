using System.Net.Sockets;
using System.Text;
using EchoBridge.Contracts;
using EchoBridge.Sessions;
using Microsoft.AspNetCore.SignalR;

namespace EchoBridge.Lab;

/// <summary>
/// Half-close: a client sends a line to the TCP echo and at once shuts its sending side (<c>shutdown(SHUT_WR)</c>: its
/// FIN says "nothing more from me"), then reads until the end of the stream. The server still echoes everything it
/// read, then closes its side: the echo arrives before the close. The close reason is the server session's own.
/// </summary>
public sealed class HalfCloseExperiment(EchoPorts ports, LabSessions sessions, TimeProvider time)
{
    /// <summary>What the client sends before shutting its sending side.</summary>
    public static readonly byte[] Line = Encoding.ASCII.GetBytes("hola, y adios\n");

    private const string Name = "half-close";

    /// <summary>Runs it once; <paramref name="cancellationToken"/> bounds it.</summary>
    public async Task<HalfCloseResult> RunAsync(CancellationToken cancellationToken)
    {
        var echo = ports.Tcp(Name);
        using var client = new Socket(echo.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(echo, cancellationToken);
        // Found before anything is sent: once the client has its echo, the session is over and gone from the registry.
        var session = await sessions.WaitForAsync(SessionKind.Tcp, client.LocalEndPoint, cancellationToken);
        await client.SendAsync(Line, SocketFlags.None, cancellationToken);
        client.Shutdown(SocketShutdown.Send);

        var (echoed, orderly) = await ReadToEndAsync(client, cancellationToken);
        var reason = await ClosedReasonAsync(session, cancellationToken);
        return new HalfCloseResult(Line.Length, echoed, orderly && echoed == Line.Length, reason.Describe());
    }

    // Reads until the server's FIN (orderly: true) or a reset (false); returns the bytes read before that.
    private static async Task<(int Echoed, bool Orderly)> ReadToEndAsync(Socket client, CancellationToken cancellationToken)
    {
        var buffer = new byte[512];
        var echoed = 0;
        try
        {
            while (await client.ReceiveAsync(buffer, SocketFlags.None, cancellationToken) is var read and > 0)
            {
                echoed += read;
            }

            return (echoed, true);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            return (echoed, false);
        }
    }

    // The server records the reason before it closes the socket, so it is normally there by now; checked every few
    // milliseconds otherwise, bounded by the caller's token.
    private async Task<CloseReason> ClosedReasonAsync(Session session, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (session.ClosedReason is { } reason)
            {
                return reason;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5), time, cancellationToken);
        }
    }
}
