using System.Net;
using System.Net.Sockets;

namespace EchoBridge.Bench.Suite;

/// <summary>Loopback ports that nothing uses, picked by the kernel (port 0) and released for a server to take.</summary>
public static class FreePorts
{
    /// <summary>A port free on TCP, and on UDP too when <paramref name="udpToo"/> (EchoBridge takes both).</summary>
    public static int Take(bool udpToo = false)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            if (!udpToo)
            {
                return port;
            }

            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // taken on UDP: try another
            }
        }

        throw new InvalidOperationException("found no loopback port free on both TCP and UDP in 50 tries");
    }
}
