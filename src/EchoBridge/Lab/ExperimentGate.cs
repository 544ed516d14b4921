using System.Net.Sockets;
using Microsoft.AspNetCore.SignalR;

namespace EchoBridge.Lab;

/// <summary>
/// The experiments' front door: one run of each kind at a time (a second request is refused at once, not queued), and
/// every run bounded by <see cref="Timeout"/>.
/// </summary>
public sealed class ExperimentGate
{
    /// <summary>The longest an experiment may take before it is abandoned with a refusal.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>This gate's bound (<see cref="Timeout"/>; tests shorten it).</summary>
    internal TimeSpan Limit { get; init; } = Timeout;

    private readonly int[] _running = new int[Enum.GetValues<LabExperiment>().Length];

    /// <summary>Whether a run of <paramref name="kind"/> is under way.</summary>
    public bool IsRunning(LabExperiment kind) => Volatile.Read(ref _running[(int)kind]) != 0;

    /// <summary>Takes <paramref name="kind"/>'s slot, or returns null when a run already holds it.</summary>
    public IDisposable? TryEnter(LabExperiment kind) =>
        Interlocked.Exchange(ref _running[(int)kind], 1) == 0 ? new Slot(this, kind) : null;

    /// <summary>
    /// Runs <paramref name="experiment"/> in <paramref name="kind"/>'s slot within <see cref="Timeout"/> (and
    /// <paramref name="cancellationToken"/>, the caller's connection). Refusals are <see cref="HubException"/>s.
    /// </summary>
    public async Task<T> RunAsync<T>(LabExperiment kind, Func<CancellationToken, Task<T>> experiment, CancellationToken cancellationToken)
    {
        using var slot = TryEnter(kind) ?? throw new HubException($"The {Name(kind)} experiment is already running; try again in a moment.");
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(Limit);
        try
        {
            return await experiment(bounded.Token);
        }
        catch (OperationCanceledException) when (bounded.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new HubException($"The {Name(kind)} experiment did not finish within {Limit.TotalSeconds:0.#} seconds.");
        }
        catch (SocketException ex)
        {
            // A lab socket's failure (the echo went away mid-run, say) is the experiment's outcome, not a server fault.
            throw new HubException($"The {Name(kind)} experiment failed: {ex.SocketErrorCode}.");
        }
    }

    /// <summary>The experiment's name in refusals.</summary>
    public static string Name(LabExperiment kind) => kind switch
    {
        LabExperiment.ReuseAddress => "SO_REUSEADDR",
        LabExperiment.StreamDatagram => "stream versus datagram",
        LabExperiment.HalfClose => "half-close",
        _ => kind.ToString(),
    };

    private sealed class Slot(ExperimentGate gate, LabExperiment kind) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Volatile.Write(ref gate._running[(int)kind], 0);
            }
        }
    }
}
