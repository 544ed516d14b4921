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

    // Below the kernel's ephemeral range (ip_local_port_range, 32768-60999 by default): between the asking and the
    // server binding it, no outgoing connection or port-0 bind on the machine can take such a port (a hostile run makes
    // thousands of both).
    private const int FixedFirst = 20000, FixedLast = 32000;
    private static int _nextFixed = FixedFirst + Random.Shared.Next(FixedLast - FixedFirst);

    /// <summary>A loopback port below the ephemeral range, free on TCP (and UDP when <paramref name="udpToo"/>) when asked.</summary>
    public static int TakeBelowEphemeral(bool udpToo = false)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = FixedFirst + (Interlocked.Increment(ref _nextFixed) - FixedFirst) % (FixedLast - FixedFirst);
            try
            {
                using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                if (udpToo)
                {
                    using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                    udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                }

                return port;
            }
            catch (SocketException)
            {
                // taken by something else on this machine: try the next
            }
        }

        throw new InvalidOperationException($"found no loopback port free between {FixedFirst} and {FixedLast} in 200 tries");
    }
}
