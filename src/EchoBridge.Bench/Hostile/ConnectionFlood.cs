using System.Collections.Concurrent;
using System.Net.Sockets;

namespace EchoBridge.Bench.Hostile;

/// <summary>
/// (a) More TCP clients than the server has descriptors, each held open until the phase ends: the fitted caps must
/// turn the surplus away at the door (<c>Server busy</c>) while the veterans keep being served and no core is burnt.
/// </summary>
public sealed class ConnectionFlood(int connections) : IHostilePhase
{
    // Below the default per-address cap (1000): this phase is about the descriptor budget, not that cap.
    private const int PerAddress = 500;
    private const int InFlight = 128;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public string Key => "connection-flood";

    /// <inheritdoc />
    public string Title => "(a) connection flood past the descriptor limit";

    /// <inheritdoc />
    public async Task<PhaseLoad> RunAsync(HostileServer server, PhaseWindow window)
    {
        var outcome = new OutcomeCounts("admitted", "turned away", "not accepted in 2 s");
        var held = new ConcurrentBag<Socket>();
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, connections), new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = window.Over },
                async (i, token) =>
                {
                    var socket = LoopbackSources.BoundTcp(LoopbackSources.Of(i, PerAddress));
                    held.Add(socket);
                    if (!await LoopbackSources.TryConnectAsync(socket, server.Echo, ConnectTimeout, token))
                    {
                        outcome.Add("not accepted in 2 s");
                    }
                });
            await window.HoldAsync();
        }
        catch (OperationCanceledException)
        {
            // the phase's time ran out while connecting
        }
        finally
        {
            foreach (var socket in held)
            {
                if (socket.Connected)
                {
                    outcome.Add(LoopbackSources.WasTurnedAway(socket) ? "turned away" : "admitted");
                }

                socket.Dispose();
            }
        }

        return new PhaseLoad($"{connections:N0} TCP connections from {LoopbackSources.AddressesFor(connections, PerAddress)} addresses, held", outcome.Snapshot());
    }

}
