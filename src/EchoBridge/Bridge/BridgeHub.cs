using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using EchoBridge.Contracts;
using EchoBridge.Lab;
using EchoBridge.Sessions;
using Microsoft.AspNetCore.SignalR;

namespace EchoBridge.Bridge;

/// <summary>
/// The product's real-time API at <see cref="BridgeHubRoute.Path"/>. Holds no state: a hub instance lives for one
/// call, so everything lives in singletons (<see cref="BridgeSessions"/>, <see cref="DashboardFeed"/>, the registry).
/// Every refusal is a <see cref="HubException"/> in plain words; anything else reaches the client as a generic error.
/// </summary>
public sealed class BridgeHub(
    BridgeSessions bridge,
    BridgeTargets targets,
    DashboardFeed feed,
    TrafficInspector inspector,
    SessionRegistry registry,
    TimeProvider time,
    SocketLab lab) : Hub<IBridgeClient>, IBridgeHub
{
    /// <inheritdoc />
    public override Task OnConnectedAsync()
    {
        // Over a connection cap: HubAdmission refused the negotiate or upgrade with the words already; only a race
        // past it lands here, and is dropped without the Error and stack trace a throw would log.
        if (!bridge.TryConnect(Context.ConnectionId, Context.GetHttpContext()?.Connection.RemoteIpAddress))
        {
            Context.Abort();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task OnDisconnectedAsync(Exception? exception) => bridge.DisconnectAsync(Context.ConnectionId);

    /// <inheritdoc />
    public Task<IReadOnlyList<TargetInfo>> GetTargets() => Task.FromResult(targets.List());

    /// <inheritdoc />
    public async Task<BridgeSessionInfo> Open(string target) =>
        (await bridge.OpenAsync(Context.ConnectionId, target, Context.ConnectionAborted)).Info;

    /// <inheritdoc />
    public IAsyncEnumerable<BridgeFrame> Receive(string sessionId, CancellationToken cancellationToken)
    {
        // Checked before the stream starts, so a refusal is the stream's error, not a half-open stream.
        var session = bridge.Get(Context.ConnectionId, sessionId);
        if (!session.TryClaimReceiver())
        {
            throw new HubException($"Session '{sessionId}' is already being received by another stream.");
        }

        StreamLease lease;
        try
        {
            lease = bridge.AcquireStream(Context.ConnectionId);
        }
        catch
        {
            session.ReleaseReceiver();
            throw;
        }

        return ReceiveFrames(session, lease, cancellationToken);
    }

    /// <inheritdoc />
    public async Task Send(string sessionId, string text)
    {
        // Encoded into a pooled buffer: a typed line costs no allocation of its own.
        text ??= "";
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetByteCount(text));
        try
        {
            var length = Encoding.UTF8.GetBytes(text, buffer);
            await bridge.SendAsync(Context.ConnectionId, sessionId, buffer.AsMemory(0, length), Context.ConnectionAborted);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc />
    public Task SendBytes(string sessionId, byte[] data) =>
        bridge.SendAsync(Context.ConnectionId, sessionId, data ?? [], Context.ConnectionAborted);

    /// <inheritdoc />
    public Task Close(string sessionId) => bridge.CloseAsync(Context.ConnectionId, sessionId);

    /// <inheritdoc />
    public IAsyncEnumerable<DashboardSnapshot> Watch(CancellationToken cancellationToken) =>
        Leased(feed.WatchAsync(cancellationToken), bridge.AcquireStream(Context.ConnectionId));

    /// <inheritdoc />
    public IAsyncEnumerable<TrafficFrame> Inspect(long sessionId, CancellationToken cancellationToken)
    {
        var session = FindListenerSession(sessionId);
        return Leased(inspector.InspectAsync(session, cancellationToken), bridge.AcquireStream(Context.ConnectionId));
    }

    /// <inheritdoc />
    public Task Disconnect(long sessionId)
    {
        FindListenerSession(sessionId).RequestClose(CloseReason.Disconnected);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public IAsyncEnumerable<KernelView> WatchKernel(CancellationToken cancellationToken) =>
        Leased(lab.WatchAsync(cancellationToken), bridge.AcquireStream(Context.ConnectionId));

    /// <inheritdoc />
    public Task PauseAccepting(int seconds)
    {
        lab.Pause(seconds);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ResumeAccepting()
    {
        lab.Resume();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<ReuseAddressResult> RunReuseAddress() => lab.RunReuseAddressAsync(Context.ConnectionAborted);

    /// <inheritdoc />
    public Task<StreamDatagramResult> RunStreamDatagram() => lab.RunStreamDatagramAsync(Context.ConnectionAborted);

    /// <inheritdoc />
    public Task<HalfCloseResult> RunHalfClose() => lab.RunHalfCloseAsync(Context.ConnectionAborted);

    private Session FindListenerSession(long sessionId) =>
        registry.TryGet(sessionId, out var session) ? session : throw new HubException($"Unknown listener session {sessionId}.");

    private async IAsyncEnumerable<BridgeFrame> ReceiveFrames(HubSession session, StreamLease lease,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var _ = lease;
        var drained = false;
        try
        {
            await foreach (var frame in session.Frames.ReadAllAsync(cancellationToken))
            {
                yield return frame;
            }

            drained = true;
            yield return new BridgeFrame(session.FramesRead + 1, [], time.GetUtcNow(), (session.EndReason ?? CloseReason.ClientClosed).Describe());
        }
        finally
        {
            session.ReleaseReceiver();
            if (drained)
            {
                bridge.Drained(session); // everything was delivered: the session no longer counts
            }
        }
    }

    private static async IAsyncEnumerable<T> Leased<T>(IAsyncEnumerable<T> stream, StreamLease lease,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var _ = lease;
        await foreach (var item in stream.WithCancellation(cancellationToken))
        {
            yield return item;
        }
    }
}
