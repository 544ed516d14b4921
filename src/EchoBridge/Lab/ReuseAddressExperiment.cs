using System.Net;
using System.Net.Sockets;
using EchoBridge.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace EchoBridge.Lab;

/// <summary>
/// The SO_REUSEADDR experiment, as the lesson's restarted server meets it. A lab server on a free loopback port (with
/// <c>SO_REUSEADDR</c>, as the lesson's server sets it) takes one client and closes first, so its end of the connection
/// waits in TIME_WAIT on that port; the server is gone. Then a new server binds the same port without the option (the
/// kernel refuses: <c>Address already in use</c>) and with it (the kernel allows it: both sockets set the option and
/// the old one is not listening). Linux only: the TIME_WAIT is read from the kernel's table.
/// </summary>
public sealed class ReuseAddressExperiment(TimeProvider time)
{
    /// <summary>Where the kernel's TCP tables are read from; tests may point it elsewhere.</summary>
    internal string ProcNet { get; init; } = "/proc/net";

    /// <summary>Runs it once; <paramref name="cancellationToken"/> bounds it.</summary>
    public async Task<ReuseAddressResult> RunAsync(CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(Path.Combine(ProcNet, "tcp")))
        {
            throw new HubException("The SO_REUSEADDR experiment needs the kernel's socket table, which only Linux shows (/proc/net/tcp).");
        }

        var port = await LeaveTimeWaitAsync(cancellationToken);
        var timeWaits = await WaitForTimeWaitAsync(port, cancellationToken);
        var lab = new IPEndPoint(IPAddress.Loopback, port);
        return new ReuseAddressResult(port, timeWaits, Outcome(TryListen(lab, reuseAddress: false)), Outcome(TryListen(lab, reuseAddress: true)));
    }

    // A server on a fresh port serves one client and closes first; returns the port, which the server no longer holds.
    private static async Task<int> LeaveTimeWaitAsync(CancellationToken cancellationToken)
    {
        int port;
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using (var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            // .NET's Bind sets SO_REUSEADDR on a TCP socket on Unix anyway; it is set here too, to say so.
            RawBind.SetReuseAddress(listener, true);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            port = ((IPEndPoint)listener.LocalEndPoint!).Port;
            await client.ConnectAsync(listener.LocalEndPoint!, cancellationToken);
            using var served = await listener.AcceptAsync(cancellationToken);
            served.Shutdown(SocketShutdown.Both); // the server closes first: its FIN goes out before the client's
        }

        // The client reads the end of the stream and closes too; the server's end then waits in TIME_WAIT.
        await client.ReceiveAsync(new byte[1], SocketFlags.None, cancellationToken);
        client.Close();
        return port;
    }

    // The server's end moves to TIME_WAIT when the client's FIN arrives; on loopback that is at once, but it is read
    // from the kernel rather than assumed. Checks every few milliseconds; the caller's token bounds it.
    private async Task<int> WaitForTimeWaitAsync(int port, CancellationToken cancellationToken)
    {
        while (true)
        {
            var count = CountTimeWaits(port);
            if (count > 0)
            {
                return count;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5), time, cancellationToken);
        }
    }

    private int CountTimeWaits(int port)
    {
        bool OnPort(int local, int remote) => local == port;
        var path = Path.Combine(ProcNet, "tcp");
        return KernelSocketTable.Parse(File.ReadAllText(path), ipv6: false, OnPort).Sockets.Count(s => s.State == TcpState.TimeWait);
    }

    // Binds and listens as a restarted server would; the socket is closed again at once.
    private static SocketError TryListen(IPEndPoint endPoint, bool reuseAddress)
    {
        var (socket, error) = RawBind.Bind(endPoint, reuseAddress);
        if (socket is null)
        {
            return error;
        }

        using (socket)
        {
            try
            {
                socket.Listen(1);
                return SocketError.Success;
            }
            catch (SocketException ex)
            {
                return ex.SocketErrorCode;
            }
        }
    }

    private static string Outcome(SocketError error) => error == SocketError.Success ? "ok" : error.ToString();
}
