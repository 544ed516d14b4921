using EchoBridge.Client.Replay;
using EchoBridge.Contracts;

namespace EchoBridge.Client.Hub;

/// <summary>
/// Everything the dashboard's components need from <c>/hubs/bridge</c>. One interface, so the components are tested
/// against a fake and run in the browser against <see cref="BridgeHubClient"/> (a <c>HubConnection</c> wrapper).
/// Failed calls throw; <see cref="HubErrors.Describe"/> turns them into plain words.
/// </summary>
public interface IBridgeHubClient
{
    /// <summary>The link's current state.</summary>
    HubState State { get; }

    /// <summary>Raised whenever <see cref="State"/> changes.</summary>
    event Action<HubState>? StateChanged;

    /// <summary>Starts the connection (idempotent); keeps retrying until connected or cancelled.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>The allow-listed bridge targets.</summary>
    Task<IReadOnlyList<TargetInfo>> GetTargetsAsync(CancellationToken cancellationToken = default);

    /// <summary>Opens a bridge session to a named target.</summary>
    Task<BridgeSessionInfo> OpenAsync(string target, CancellationToken cancellationToken = default);

    /// <summary>What the target of a bridge session sends; the last frame says why it closed.</summary>
    IAsyncEnumerable<BridgeFrame> ReceiveAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Sends text (UTF-8, exactly as given).</summary>
    Task SendAsync(string sessionId, string text, CancellationToken cancellationToken = default);

    /// <summary>Sends raw bytes.</summary>
    Task SendBytesAsync(string sessionId, byte[] data, CancellationToken cancellationToken = default);

    /// <summary>Closes a bridge session.</summary>
    Task CloseAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>Dashboard snapshots, a few per second, until cancelled or the connection drops.</summary>
    IAsyncEnumerable<DashboardSnapshot> WatchAsync(CancellationToken cancellationToken);

    /// <summary>The recent and live traffic of a listener session.</summary>
    IAsyncEnumerable<TrafficFrame> InspectAsync(long sessionId, CancellationToken cancellationToken);

    /// <summary>Ends a listener session.</summary>
    Task DisconnectAsync(long sessionId, CancellationToken cancellationToken = default);

    /// <summary>The traffic of a listener session on <paramref name="instance"/> of a cluster (null: this server).</summary>
    IAsyncEnumerable<TrafficFrame> InspectOnAsync(string? instance, long sessionId, CancellationToken cancellationToken);

    /// <summary>Ends a listener session on <paramref name="instance"/> of a cluster (null: this server).</summary>
    Task DisconnectOnAsync(string? instance, long sessionId, CancellationToken cancellationToken = default);

    /// <summary>A live or recently closed session's capture, for the replay (the server's JSON Lines export).</summary>
    Task<CaptureTranscript> GetCaptureAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>The socket lab: the kernel's view of the echo ports, twice a second.</summary>
    IAsyncEnumerable<KernelView> WatchKernelAsync(CancellationToken cancellationToken);

    /// <summary>Pauses the listener's accepting for 1 to 60 seconds.</summary>
    Task PauseAcceptingAsync(int seconds, CancellationToken cancellationToken = default);

    /// <summary>Resumes accepting at once.</summary>
    Task ResumeAcceptingAsync(CancellationToken cancellationToken = default);

    /// <summary>The SO_REUSEADDR experiment: a bind on a port in TIME_WAIT, without the option and with it.</summary>
    Task<ReuseAddressResult> RunReuseAddressAsync(CancellationToken cancellationToken = default);

    /// <summary>The stream-versus-datagram experiment: three quick sends over TCP and over UDP.</summary>
    Task<StreamDatagramResult> RunStreamDatagramAsync(CancellationToken cancellationToken = default);

    /// <summary>The half-close experiment: send a line, shut the sending side, read the echo to the end.</summary>
    Task<HalfCloseResult> RunHalfCloseAsync(CancellationToken cancellationToken = default);
}
