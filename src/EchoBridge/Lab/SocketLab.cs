using EchoBridge.Contracts;
using EchoBridge.Listener;
using Microsoft.AspNetCore.SignalR;

namespace EchoBridge.Lab;

/// <summary>
/// What the hub offers the socket lab: the kernel's view as contract records, the backlog experiment's pause, and the
/// experiments that run on request (one of each kind at a time, each bounded: <see cref="ExperimentGate"/>).
/// Refusals are <see cref="HubException"/>s in plain words.
/// </summary>
public sealed class SocketLab(
    KernelSocketWatch watch,
    EchoListener listener,
    ExperimentGate gate,
    ReuseAddressExperiment reuseAddress,
    StreamDatagramExperiment streamDatagram,
    HalfCloseExperiment halfClose)
{
    /// <summary>The longest pause the hub allows (the listener itself allows up to <see cref="EchoListener.MaxPause"/>).</summary>
    public const int MaxPauseSeconds = 60;

    /// <summary>The kernel's view, converted; refused up front when the watcher cap is reached.</summary>
    public IAsyncEnumerable<KernelView> WatchAsync(CancellationToken cancellationToken)
    {
        if (watch.Watchers >= KernelSocketWatch.MaxWatchers)
        {
            throw new HubException($"Already {KernelSocketWatch.MaxWatchers} watchers of the kernel's view; try again later.");
        }

        return Views(cancellationToken);
    }

    /// <summary>Pauses accepting for <paramref name="seconds"/> (1 to <see cref="MaxPauseSeconds"/>).</summary>
    public void Pause(int seconds)
    {
        if (seconds is < 1 or > MaxPauseSeconds)
        {
            throw new HubException($"A pause lasts 1 to {MaxPauseSeconds} seconds, not {seconds}.");
        }

        listener.PauseAccepting(TimeSpan.FromSeconds(seconds));
    }

    /// <summary>Resumes accepting.</summary>
    public void Resume() => listener.ResumeAccepting();

    /// <summary>The SO_REUSEADDR experiment.</summary>
    public Task<ReuseAddressResult> RunReuseAddressAsync(CancellationToken cancellationToken) =>
        gate.RunAsync(LabExperiment.ReuseAddress, reuseAddress.RunAsync, cancellationToken);

    /// <summary>The stream-versus-datagram experiment.</summary>
    public Task<StreamDatagramResult> RunStreamDatagramAsync(CancellationToken cancellationToken) =>
        gate.RunAsync(LabExperiment.StreamDatagram, streamDatagram.RunAsync, cancellationToken);

    /// <summary>The half-close experiment.</summary>
    public Task<HalfCloseResult> RunHalfCloseAsync(CancellationToken cancellationToken) =>
        gate.RunAsync(LabExperiment.HalfClose, halfClose.RunAsync, cancellationToken);

    /// <summary>The contract record of one snapshot.</summary>
    public static KernelView ToView(KernelSnapshot snapshot, bool acceptPaused) => new(
        snapshot.At,
        snapshot.Unavailable,
        snapshot.Ports,
        snapshot.Backlog,
        acceptPaused,
        [.. snapshot.Sockets.Select(s => new KernelSocketRow(
            TcpStateText.Name(s.State), TcpStateText.Explain(s.State), s.Local.ToString(), s.Remote.ToString(), s.TxQueue, s.RxQueue, s.AcceptQueue))],
        snapshot.Matched,
        snapshot.Truncated);

    private async IAsyncEnumerable<KernelView> Views([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var snapshot in watch.WatchAsync(cancellationToken))
        {
            yield return ToView(snapshot, listener.IsAcceptPaused);
        }
    }
}
