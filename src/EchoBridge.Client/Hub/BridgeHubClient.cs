using System.Net;
using EchoBridge.Client.Replay;
using EchoBridge.Contracts;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.SignalR.Client;

namespace EchoBridge.Client.Hub;

/// <summary>
/// The real <see cref="IBridgeHubClient"/>: one <see cref="HubConnection"/> per page, reconnecting automatically, its
/// method names taken from <see cref="IBridgeHub"/> so a renamed hub method breaks the build, not the page.
/// </summary>
public sealed class BridgeHubClient : IBridgeHubClient, IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _startLock = new(1, 1);
    private readonly CancellationTokenSource _disposed = new();

    /// <summary>Connects to the hub on the server the page came from.</summary>
    public BridgeHubClient(NavigationManager navigation, HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(navigation);
        _http = http;
        _connection = new HubConnectionBuilder()
            .WithUrl(navigation.ToAbsoluteUri(BridgeHubRoute.Path))
            .WithAutomaticReconnect(new ForeverRetryPolicy())
            // In the WebAssembly interpreter MessagePack decodes a snapshot about twice as fast as JSON (bench/README).
            .AddMessagePackProtocol()
            .Build();
        _connection.Reconnecting += _ =>
        {
            SetState(HubState.Reconnecting);
            return Task.CompletedTask;
        };
        _connection.Reconnected += _ =>
        {
            SetState(HubState.Connected);
            return Task.CompletedTask;
        };
        _connection.Closed += _ =>
        {
            SetState(HubState.Offline);
            RestartInBackground();
            return Task.CompletedTask;
        };
    }

    private void RestartInBackground()
    {
        // Automatic reconnect has given up (or never started): keep trying, like a person pressing reload.
        _ = StartAsync(_disposed.Token).ContinueWith(
            static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    /// <inheritdoc />
    public HubState State { get; private set; } = HubState.Connecting;

    /// <inheritdoc />
    public event Action<HubState>? StateChanged;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        cancellationToken = linked.Token;
        await _startLock.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 0L; _connection.State == HubConnectionState.Disconnected; attempt++)
            {
                try
                {
                    await _connection.StartAsync(cancellationToken);
                    SetState(HubState.Connected);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    SetState(HubState.Offline);
                    await Task.Delay(ForeverRetryPolicy.DelayFor(attempt + 1), cancellationToken);
                }
            }
        }
        finally
        {
            _startLock.Release();
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TargetInfo>> GetTargetsAsync(CancellationToken cancellationToken = default) =>
        _connection.InvokeAsync<IReadOnlyList<TargetInfo>>(nameof(IBridgeHub.GetTargets), cancellationToken);

    /// <inheritdoc />
    public Task<BridgeSessionInfo> OpenAsync(string target, CancellationToken cancellationToken = default) =>
        _connection.InvokeAsync<BridgeSessionInfo>(nameof(IBridgeHub.Open), target, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<BridgeFrame> ReceiveAsync(string sessionId, CancellationToken cancellationToken) =>
        _connection.StreamAsync<BridgeFrame>(nameof(IBridgeHub.Receive), sessionId, cancellationToken);

    /// <inheritdoc />
    public Task SendAsync(string sessionId, string text, CancellationToken cancellationToken = default) =>
        _connection.InvokeAsync(nameof(IBridgeHub.Send), sessionId, text, cancellationToken);

    /// <inheritdoc />
    public Task SendBytesAsync(string sessionId, byte[] data, CancellationToken cancellationToken = default) =>
        _connection.InvokeAsync(nameof(IBridgeHub.SendBytes), sessionId, data, cancellationToken);

    /// <inheritdoc />
    public Task CloseAsync(string sessionId, CancellationToken cancellationToken = default) =>
        _connection.InvokeAsync(nameof(IBridgeHub.Close), sessionId, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<DashboardSnapshot> WatchAsync(CancellationToken cancellationToken) =>
        _connection.StreamAsync<DashboardSnapshot>(nameof(IBridgeHub.Watch), cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<TrafficFrame> InspectAsync(long sessionId, CancellationToken cancellationToken) =>
        _connection.StreamAsync<TrafficFrame>(nameof(IBridgeHub.Inspect), sessionId, cancellationToken);

    /// <inheritdoc />
    public Task DisconnectAsync(long sessionId, CancellationToken cancellationToken = default) =>
        _connection.InvokeAsync(nameof(IBridgeHub.Disconnect), sessionId, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<TrafficFrame> InspectOnAsync(string? instance, long sessionId, CancellationToken cancellationToken) =>
        instance is null
            ? InspectAsync(sessionId, cancellationToken)
            : _connection.StreamAsync<TrafficFrame>(nameof(IBridgeHub.InspectOn), instance, sessionId, cancellationToken);

    /// <inheritdoc />
    public Task DisconnectOnAsync(string? instance, long sessionId, CancellationToken cancellationToken = default) =>
        instance is null
            ? DisconnectAsync(sessionId, cancellationToken)
            : _connection.InvokeAsync(nameof(IBridgeHub.DisconnectOn), instance, sessionId, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<KernelView> WatchKernelAsync(CancellationToken cancellationToken) =>
        _connection.StreamAsync<KernelView>(nameof(IBridgeHub.WatchKernel), cancellationToken);

    /// <inheritdoc />
    public Task PauseAcceptingAsync(int seconds, CancellationToken cancellationToken = default) =>
        _connection.InvokeAsync(nameof(IBridgeHub.PauseAccepting), seconds, cancellationToken);

    /// <inheritdoc />
    public Task ResumeAcceptingAsync(CancellationToken cancellationToken = default) =>
        _connection.InvokeAsync(nameof(IBridgeHub.ResumeAccepting), cancellationToken);

    /// <inheritdoc />
    public Task<ReuseAddressResult> RunReuseAddressAsync(CancellationToken cancellationToken = default) =>
        _connection.InvokeAsync<ReuseAddressResult>(nameof(IBridgeHub.RunReuseAddress), cancellationToken);

    /// <inheritdoc />
    public Task<StreamDatagramResult> RunStreamDatagramAsync(CancellationToken cancellationToken = default) =>
        _connection.InvokeAsync<StreamDatagramResult>(nameof(IBridgeHub.RunStreamDatagram), cancellationToken);

    /// <inheritdoc />
    public Task<HalfCloseResult> RunHalfCloseAsync(CancellationToken cancellationToken = default) =>
        _connection.InvokeAsync<HalfCloseResult>(nameof(IBridgeHub.RunHalfClose), cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        await _connection.DisposeAsync();
    }

    private void SetState(HubState state)
    {
        if (State != state)
        {
            State = state;
            StateChanged?.Invoke(state);
        }
    }

    /// <inheritdoc />
    public async Task<CaptureTranscript> GetCaptureAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        // Same origin: the access-token cookie (if any) goes with it, as it does with the hub's requests.
        using var response = await _http.GetAsync($"api/sessions/{Uri.EscapeDataString(sessionId)}/capture.jsonl", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new InvalidOperationException(HubErrors.NotKept(sessionId));
        }

        response.EnsureSuccessStatusCode();
        return CaptureTranscript.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
    }
}
