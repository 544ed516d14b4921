using System.Collections.Concurrent;
using System.Net.Sockets;

namespace EchoBridge.Bench.Hostile;

/// <summary>
/// (c) Clients that send and never read: each sends until the server stops reading it, then they all stay until the
/// phase ends and leave together. The server must hold a small, bounded amount per client and give the memory back.
/// </summary>
public sealed class StalledReaders(int clients) : IHostilePhase
{
    private const int PerAddress = 500;
    private const int Parallelism = 32;
    private const long MaxPerClient = 64L << 20; // a bound of the bench's own: a server that never stops reading is not fed forever
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan StalledAfter = TimeSpan.FromMilliseconds(300);

    /// <inheritdoc />
    public string Key => "stalled-readers";

    /// <inheritdoc />
    public string Title => "(c) clients that send and never read, then leave";

    /// <inheritdoc />
    public async Task<PhaseLoad> RunAsync(HostileServer server, PhaseWindow window)
    {
        var outcome = new OutcomeCounts("stalled", "closed by the server", "not accepted in 2 s");
        var held = new ConcurrentBag<Socket>();
        var chunk = new byte[64 * 1024];
        var pushed = 0L;
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, clients), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = window.Over },
                async (i, token) =>
                {
                    var socket = LoopbackSources.BoundTcp(LoopbackSources.Of(i, PerAddress));
                    socket.ReceiveBufferSize = 4096; // never read: keep the client's own side small
                    socket.SendBufferSize = 16384;
                    held.Add(socket);
                    if (!await LoopbackSources.TryConnectAsync(socket, server.Echo, ConnectTimeout, token))
                    {
                        outcome.Add("not accepted in 2 s");
                        return;
                    }

                    var sent = 0L;
                    while (sent < MaxPerClient)
                    {
                        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(token);
                        attempt.CancelAfter(StalledAfter);
                        try
                        {
                            sent += await socket.SendAsync(chunk, SocketFlags.None, attempt.Token);
                        }
                        catch (OperationCanceledException) when (!token.IsCancellationRequested)
                        {
                            outcome.Add("stalled"); // the server stopped reading it
                            break;
                        }
                        catch (SocketException)
                        {
                            outcome.Add("closed by the server"); // over a cap, or already closed as stalled
                            break;
                        }
                    }

                    Interlocked.Add(ref pushed, sent);
                });
            await window.HoldAsync();
        }
        catch (OperationCanceledException)
        {
            // the phase's time ran out while they were still sending
        }
        finally
        {
            foreach (var socket in held)
            {
                socket.Dispose();
            }
        }

        outcome.Add("MiB pushed before stalling", pushed >> 20);
        return new PhaseLoad($"{clients:N0} TCP clients sending 64 KiB writes, never reading, held, then gone", outcome.Snapshot());
    }
}
