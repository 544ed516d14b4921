using System.Net;
using System.Net.Sockets;

namespace EchoBridge.Tests.Infrastructure;

/// <summary>Asks the kernel for a port that is free on loopback for both TCP and UDP (for tests that need a fixed one).</summary>
public static class FreePort
{
    /// <summary>A port free for TCP and UDP on 127.0.0.1 and ::1 at the moment of asking.</summary>
    public static int Tcp()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            try
            {
                using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                using var tcp6 = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
                tcp6.Bind(new IPEndPoint(IPAddress.IPv6Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken for UDP or IPv6: try another.
            }
        }

        throw new InvalidOperationException("no free port found");
    }
}
