using System.Net;
using System.Net.Sockets;

namespace EchoBridge.Tests.Infrastructure;

/// <summary>A port that is free on loopback for both TCP and UDP (for tests that need a fixed one, such as a child process's).</summary>
public static class FreePort
{
    // Below the kernel's ephemeral range (ip_local_port_range, 32768-60999 on Linux): a port handed out here cannot be
    // taken by another test's outgoing connection or port-0 bind between the asking and the child binding it.
    private const int First = 20000, Last = 32000;
    private static int _next = First + Random.Shared.Next(Last - First);

    /// <summary>A port free for TCP and UDP on 127.0.0.1 and ::1 at the moment of asking, never the same one twice in a run.</summary>
    public static int Tcp()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = First + (Interlocked.Increment(ref _next) - First) % (Last - First);
            try
            {
                using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                using var tcp6 = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
                tcp6.Bind(new IPEndPoint(IPAddress.IPv6Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken by something else on this machine: try the next.
            }
        }

        throw new InvalidOperationException("no free port found");
    }
}
