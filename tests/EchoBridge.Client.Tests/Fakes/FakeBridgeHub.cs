using EchoBridge.Client.Replay;
using System.Collections.Concurrent;
using System.Threading.Channels;
using EchoBridge.Client.Hub;
using EchoBridge.Contracts;

namespace EchoBridge.Client.Tests.Fakes;

/// <summary>
/// The hub as the components see it, driven by the test: streams are channels the test writes to, calls are
/// recorded, and any call can be made to fail with the hub's own kind of error.
/// </summary>
public sealed class FakeBridgeHub : IBridgeHubClient
{
    private readonly ConcurrentDictionary<string, Channel<BridgeFrame>> _receives = new();
    private readonly ConcurrentDictionary<long, Channel<TrafficFrame>> _inspects = new();
    private int _opened;

    public HubState State { get; private set; } = HubState.Connected;

    public event Action<HubState>? StateChanged;

    public List<TargetInfo> Targets { get; } = [new("echo", "the hosted echo listener"), new("other", "another echo")];

    public Channel<DashboardSnapshot> Snapshots { get; } = Channel.CreateUnbounded<DashboardSnapshot>();

    public ConcurrentQueue<(string SessionId, string Text)> SentText { get; } = new();

    public ConcurrentQueue<(string SessionId, byte[] Data)> SentBytes { get; } = new();

    public ConcurrentQueue<string> Closed { get; } = new();

    public ConcurrentQueue<long> Disconnected { get; } = new();

    public ConcurrentQueue<string> OpenedTargets { get; } = new();

    /// <summary>When set, the next calls of that kind throw it.</summary>
    public Exception? OpenError { get; set; }

    public Exception? DisconnectError { get; set; }

    /// <summary>The captures <see cref="GetCaptureAsync"/> returns, by session id (others fail as the server's 404 does).</summary>
    public Dictionary<string, CaptureTranscript> Captures { get; } = [];

    public int WatchCalls;

    public void SetState(HubState state)
    {
        State = state;
        StateChanged?.Invoke(state);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<TargetInfo>> GetTargetsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<TargetInfo>>(Targets);

    public Task<BridgeSessionInfo> OpenAsync(string target, CancellationToken cancellationToken = default)
    {
        if (OpenError is { } error)
        {
            return Task.FromException<BridgeSessionInfo>(error);
        }

        OpenedTargets.Enqueue(target);
        var id = $"b{Interlocked.Increment(ref _opened)}";
        _receives[id] = Channel.CreateUnbounded<BridgeFrame>();
        return Task.FromResult(new BridgeSessionInfo(id, target, "127.0.0.1:50000", "127.0.0.1:9999"));
    }

    /// <summary>The Receive stream of bridge session <paramref name="sessionId"/>, for the test to write to.</summary>
    public ChannelWriter<BridgeFrame> Receive(string sessionId) => _receives[sessionId].Writer;

    public async IAsyncEnumerable<BridgeFrame> ReceiveAsync(
        string sessionId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var frame in _receives[sessionId].Reader.ReadAllAsync(cancellationToken))
        {
            yield return frame;
        }
    }

    public Task SendAsync(string sessionId, string text, CancellationToken cancellationToken = default)
    {
        SentText.Enqueue((sessionId, text));
        return Task.CompletedTask;
    }

    public Task SendBytesAsync(string sessionId, byte[] data, CancellationToken cancellationToken = default)
    {
        SentBytes.Enqueue((sessionId, data));
        return Task.CompletedTask;
    }

    public Task CloseAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        Closed.Enqueue(sessionId);
        // Like the real hub: closing ends the Receive stream with a reason.
        if (_receives.TryGetValue(sessionId, out var channel))
        {
            channel.Writer.TryWrite(new BridgeFrame(long.MaxValue, [], DateTimeOffset.UtcNow, "closed by the client"));
            channel.Writer.TryComplete();
        }

        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<DashboardSnapshot> WatchAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref WatchCalls);
        await foreach (var snapshot in Snapshots.Reader.ReadAllAsync(cancellationToken))
        {
            yield return snapshot;
        }
    }

    /// <summary>The Inspect stream of listener session <paramref name="sessionId"/>, for the test to write to.</summary>
    public ChannelWriter<TrafficFrame> Inspect(long sessionId) => InspectChannel(sessionId).Writer;

    public async IAsyncEnumerable<TrafficFrame> InspectAsync(
        long sessionId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var frame in InspectChannel(sessionId).Reader.ReadAllAsync(cancellationToken))
        {
            yield return frame;
        }
    }

    /// <summary>The (instance, session) pairs routed inspections and disconnects named, in order.</summary>
    public ConcurrentQueue<(string? Instance, long SessionId)> RoutedTo { get; } = new();

    public IAsyncEnumerable<TrafficFrame> InspectOnAsync(string? instance, long sessionId, CancellationToken cancellationToken)
    {
        RoutedTo.Enqueue((instance, sessionId));
        return InspectAsync(sessionId, cancellationToken);
    }

    public Task DisconnectOnAsync(string? instance, long sessionId, CancellationToken cancellationToken = default)
    {
        RoutedTo.Enqueue((instance, sessionId));
        return DisconnectAsync(sessionId, cancellationToken);
    }

    public Task DisconnectAsync(long sessionId, CancellationToken cancellationToken = default)
    {
        if (DisconnectError is { } error)
        {
            return Task.FromException(error);
        }

        Disconnected.Enqueue(sessionId);
        return Task.CompletedTask;
    }

    /// <summary>The WatchKernel stream, for the test to write to.</summary>
    public Channel<KernelView> KernelViews { get; } = Channel.CreateUnbounded<KernelView>();

    /// <summary>Each PauseAccepting call's seconds; a ResumeAccepting call is recorded as 0.</summary>
    public ConcurrentQueue<int> AcceptPauses { get; } = new();

    public async IAsyncEnumerable<KernelView> WatchKernelAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var view in KernelViews.Reader.ReadAllAsync(cancellationToken))
        {
            yield return view;
        }
    }

    /// <summary>When set, PauseAccepting calls throw it.</summary>
    public Exception? PauseError { get; set; }

    public Task PauseAcceptingAsync(int seconds, CancellationToken cancellationToken = default)
    {
        if (PauseError is { } error)
        {
            return Task.FromException(error);
        }

        AcceptPauses.Enqueue(seconds);
        return Task.CompletedTask;
    }

    public Task ResumeAcceptingAsync(CancellationToken cancellationToken = default)
    {
        AcceptPauses.Enqueue(0);
        return Task.CompletedTask;
    }

    /// <summary>What the experiments return; a test sets them (or an error) before pressing the button.</summary>
    public ReuseAddressResult ReuseAddress { get; set; } = new(40123, 1, "AddressAlreadyInUse", "ok");

    public StreamDatagramResult StreamDatagram { get; set; } = new([5, 8, 6], [19], [5, 8, 6]);

    public HalfCloseResult HalfClose { get; set; } = new(14, 14, true, "closed by client");

    /// <summary>When set, the next experiment runs throw it.</summary>
    public Exception? ExperimentError { get; set; }

    /// <summary>When set, the experiment runs wait for it before answering (so a test sees the running state).</summary>
    public TaskCompletionSource? ExperimentGate { get; set; }

    /// <summary>The experiments run, by name, in order.</summary>
    public ConcurrentQueue<string> ExperimentRuns { get; } = new();

    public Task<ReuseAddressResult> RunReuseAddressAsync(CancellationToken cancellationToken = default) =>
        RunAsync(nameof(RunReuseAddressAsync), ReuseAddress);

    public Task<StreamDatagramResult> RunStreamDatagramAsync(CancellationToken cancellationToken = default) =>
        RunAsync(nameof(RunStreamDatagramAsync), StreamDatagram);

    public Task<HalfCloseResult> RunHalfCloseAsync(CancellationToken cancellationToken = default) =>
        RunAsync(nameof(RunHalfCloseAsync), HalfClose);

    private async Task<T> RunAsync<T>(string name, T result)
    {
        ExperimentRuns.Enqueue(name);
        if (ExperimentGate is { } gate)
        {
            await gate.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }

        return ExperimentError is { } error ? throw error : result;
    }

    private Channel<TrafficFrame> InspectChannel(long sessionId) =>
        _inspects.GetOrAdd(sessionId, _ => Channel.CreateUnbounded<TrafficFrame>());

    public Task<CaptureTranscript> GetCaptureAsync(string sessionId, CancellationToken cancellationToken = default) =>
        Captures.TryGetValue(sessionId, out var transcript)
            ? Task.FromResult(transcript)
            : Task.FromException<CaptureTranscript>(new InvalidOperationException($"Session {sessionId} is not kept any more (or never was)."));
}
