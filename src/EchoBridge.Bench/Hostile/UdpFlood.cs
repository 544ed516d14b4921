using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EchoBridge.Bench.Hostile;

/// <summary>
/// (b) UDP datagrams from many source ports (a new socket each) on a few loopback addresses, paced over most of the
/// phase, while new TCP clients keep connecting from another address: UDP peers have a budget of their own, so the TCP
/// clients must be served throughout.
/// </summary>
public sealed class UdpFlood(int datagrams, int addresses) : IHostilePhase
{
    private static readonly TimeSpan TcpClientEvery = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private static readonly byte[] Datagram = "hostile datagram\n"u8.ToArray();
    private static readonly byte[] Line = "tcp client\n"u8.ToArray();

    /// <inheritdoc />
    public string Key => "udp-flood";

    /// <inheritdoc />
    public string Title => "(b) UDP flood from many source ports while TCP clients connect";

    /// <inheritdoc />
    public async Task<PhaseLoad> RunAsync(HostileServer server, PhaseWindow window)
    {
        var outcome = new OutcomeCounts("datagrams sent", "tcp served", "tcp turned away", "tcp failed");
        var tcp = TcpClientsAsync(server.Echo, outcome, window.Over);
        await SendAsync(server.Echo, outcome, window);
        await tcp;
        return new PhaseLoad($"{datagrams:N0} datagrams from {addresses} addresses, a new port each; a TCP client every {TcpClientEvery.TotalMilliseconds:0} ms",
            outcome.Snapshot());
    }

    // Paced so that they are spread over about 80 % of the phase: the issue's ~170 a second kept a table of peers full.
    private async Task SendAsync(IPEndPoint server, OutcomeCounts outcome, PhaseWindow window)
    {
        var clock = Stopwatch.StartNew();
        var spread = window.Length * 0.8;
        for (var i = 0; i < datagrams && !window.Over.IsCancellationRequested; i++)
        {
            var due = spread * i / datagrams;
            if (due > clock.Elapsed + TimeSpan.FromMilliseconds(20))
            {
                await window.DelayAsync(due - clock.Elapsed);
            }

            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(LoopbackSources.Of(i % addresses, perAddress: 1), 0));
            try
            {
                socket.SendTo(Datagram, server);
                outcome.Add("datagrams sent");
            }
            catch (SocketException)
            {
                outcome.Add("datagrams not sent");
            }
        }
    }

    private static async Task TcpClientsAsync(IPEndPoint server, OutcomeCounts outcome, CancellationToken phaseOver)
    {
        var source = IPAddress.Parse("127.0.0.2");
        var reply = new byte[256];
        using var timer = new PeriodicTimer(TcpClientEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(phaseOver))
            {
                using var socket = LoopbackSources.BoundTcp(source);
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(phaseOver);
                limit.CancelAfter(Timeout);
                try
                {
                    await socket.ConnectAsync(server, limit.Token);
                    await socket.SendAsync(Line, SocketFlags.None, limit.Token);
                    var got = 0;
                    while (got < Line.Length)
                    {
                        var n = await socket.ReceiveAsync(reply.AsMemory(got), SocketFlags.None, limit.Token);
                        if (n == 0)
                        {
                            break;
                        }

                        got += n;
                    }

                    outcome.Add(reply.AsSpan(0, got).SequenceEqual(Line) ? "tcp served"
                        : Encoding.ASCII.GetString(reply, 0, got).StartsWith("Server busy", StringComparison.Ordinal) ? "tcp turned away" : "tcp failed");
                }
                catch (OperationCanceledException) when (!phaseOver.IsCancellationRequested)
                {
                    outcome.Add("tcp failed");
                }
                catch (SocketException)
                {
                    outcome.Add("tcp failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the phase is over
        }
    }
}
