namespace EchoBridge.Contracts;

/// <summary>
/// The methods a client can call on <c>/hubs/bridge</c>. Clients use <c>nameof(IBridgeHub.Open)</c> etc. instead of
/// strings. Streams are <see cref="IAsyncEnumerable{T}"/> on the server; a client reads them with <c>StreamAsync</c>.
/// </summary>
public interface IBridgeHub
{
    /// <summary>The allow-listed targets.</summary>
    Task<IReadOnlyList<TargetInfo>> GetTargets();

    /// <summary>Opens a raw TCP client to the named target. The session belongs to the calling hub connection.</summary>
    Task<BridgeSessionInfo> Open(string target);

    /// <summary>What the target sends, as ordered frames; the last one says why the stream ended.</summary>
    IAsyncEnumerable<BridgeFrame> Receive(string sessionId, CancellationToken cancellationToken);

    /// <summary>Writes the UTF-8 bytes of <paramref name="text"/> as given; completes when they are on the socket.</summary>
    Task Send(string sessionId, string text);

    /// <summary>Writes raw bytes; completes when they are on the socket.</summary>
    Task SendBytes(string sessionId, byte[] data);

    /// <summary>Closes a bridge session of the calling connection.</summary>
    Task Close(string sessionId);

    /// <summary>Dashboard snapshots, a few per second.</summary>
    IAsyncEnumerable<DashboardSnapshot> Watch(CancellationToken cancellationToken);

    /// <summary>The recent and then the live traffic of any listener session.</summary>
    IAsyncEnumerable<TrafficFrame> Inspect(long sessionId, CancellationToken cancellationToken);

    /// <summary>Ends a listener session (a kick from the dashboard).</summary>
    Task Disconnect(long sessionId);

    /// <summary>The socket lab: the kernel's view of the echo ports, now and then twice a second.</summary>
    IAsyncEnumerable<KernelView> WatchKernel(CancellationToken cancellationToken);

    /// <summary>The backlog experiment: stops accepting for 1 to 60 <paramref name="seconds"/>, then resumes by itself.</summary>
    Task PauseAccepting(int seconds);

    /// <summary>Accepts again at once (nothing when not paused).</summary>
    Task ResumeAccepting();

    /// <summary>
    /// The SO_REUSEADDR experiment: a lab port with a connection in TIME_WAIT, then a bind on it without the option and
    /// with it. Linux only (the kernel's table); one run at a time.
    /// </summary>
    Task<ReuseAddressResult> RunReuseAddress();

    /// <summary>The stream-versus-datagram experiment: three quick sends over TCP and over UDP to the echo port.</summary>
    Task<StreamDatagramResult> RunStreamDatagram();

    /// <summary>The half-close experiment: send a line, shut the sending side, read the echo to the end.</summary>
    Task<HalfCloseResult> RunHalfClose();
}
