using System.Runtime.CompilerServices;
using System.Threading.Channels;
using EchoBridge.Bench.Cli;
using EchoBridge.Contracts;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace EchoBridge.Bench.Load;

/// <summary>
/// A closed-loop connection through the bridge hub, the way the dashboard's console talks to it: one SignalR
/// connection, <c>Open(target)</c>, a <c>Receive(sessionId)</c> stream of frames, and per message a <c>Send</c> (or
/// <c>SendBytes</c>) whose echo is read back from the stream. The stream is started before the first message so no
/// frame can precede it. SignalR allocates per call (arguments, JSON); the bench itself adds nothing per message.
/// </summary>
public sealed class HubEchoLoop : IEchoLoop
{
    private readonly SharedHubConnection _shared;
    private readonly HubConnection _connection;
    private readonly string _sessionId;
    private readonly ChannelReader<BridgeFrame> _frames;
    private readonly CancellationTokenSource _stop;
    private readonly MessageSet _messages;
    private readonly HubPayloads _payloads;
    private readonly HubClientSettings _hub;
    private readonly byte[] _received;
    private long _nextSeq = 1;

    private HubEchoLoop(SharedHubConnection shared, string sessionId, ChannelReader<BridgeFrame> frames, CancellationTokenSource stop,
        MessageSet messages, HubPayloads payloads, HubClientSettings hub)
    {
        _shared = shared;
        _connection = shared.Connection;
        _sessionId = sessionId;
        _frames = frames;
        _stop = stop;
        _messages = messages;
        _payloads = payloads;
        _hub = hub;
        _received = new byte[messages.Size];
    }

    /// <inheritdoc />
    public LoopStats Stats { get; } = new();

    /// <summary>Connects to the hub as <paramref name="hub"/> says, opens a bridge session and starts its stream.</summary>
    public static async Task<HubEchoLoop> OpenAsync(HubClientSettings hub, MessageSet messages, HubPayloads payloads,
        CancellationToken cancellationToken) =>
        await OpenAsync(new SharedHubConnection(await ConnectAsync(hub, cancellationToken), 1), messages, payloads, hub, cancellationToken);

    /// <summary>
    /// Opens a bridge session on <paramref name="shared"/> and starts its stream; the session releases the connection
    /// when it is disposed (or here, if it cannot open).
    /// </summary>
    public static async Task<HubEchoLoop> OpenAsync(SharedHubConnection shared, MessageSet messages, HubPayloads payloads,
        HubClientSettings hub, CancellationToken cancellationToken)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var session = await shared.Connection.InvokeAsync<BridgeSessionInfo>(nameof(IBridgeHub.Open), hub.Target, cancellationToken);
            var frames = await shared.Connection.StreamAsChannelAsync<BridgeFrame>(nameof(IBridgeHub.Receive), session.SessionId, stop.Token);
            return new HubEchoLoop(shared, session.SessionId, frames, stop, messages, payloads, hub);
        }
        catch
        {
            stop.Dispose();
            await shared.ReleaseAsync();
            throw;
        }
    }

    /// <summary>A started hub connection as <paramref name="hub"/> says (WebSockets, the chosen protocol).</summary>
    public static async Task<HubConnection> ConnectAsync(HubClientSettings hub, CancellationToken cancellationToken)
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(hub.Url, options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                // Each HubConnection has its own HttpClient, and the negotiate POST's HTTP connection would idle in its
                // pool (and on the server, until Kestrel's 130 s keep-alive timeout) beside the WebSocket: one extra
                // server connection per hub connection that a browser does not have (its negotiate reuses the page's
                // keep-alive connection) and that the idle mode would count as the hub connection's memory. A pooled
                // lifetime of zero closes it as soon as the negotiate is answered.
                options.HttpMessageHandlerFactory = _ => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero };
            });
        if (hub.Protocol == HubProtocol.MessagePack)
        {
            builder.AddMessagePackProtocol();
        }

        var connection = builder.Build();
        try
        {
            await connection.StartAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<EchoOutcome> EchoOnceAsync(long seq)
    {
        var message = _messages[seq];
        var (method, payload) = _hub.Bytes
            ? (nameof(IBridgeHub.SendBytes), (object)_payloads.Bytes(seq))
            : (nameof(IBridgeHub.Send), _payloads.Text(seq));
        var sending = _hub.NoWait
            ? _connection.SendAsync(method, _sessionId, payload, _stop.Token)
            : _connection.InvokeAsync(method, _sessionId, payload, _stop.Token);

        var intact = true;
        var got = 0;
        while (got < message.Length)
        {
            var frame = await NextFrameAsync(sending);
            intact &= frame.Seq == _nextSeq; // a gap or a repeat in the frame numbers is an integrity error too
            _nextSeq = frame.Seq + 1;

            var take = Math.Min(frame.Data.Length, message.Length - got);
            intact &= take == frame.Data.Length; // more bytes than were sent
            frame.Data.AsSpan(0, take).CopyTo(_received.AsSpan(got));
            got += take;

            if (frame.Closed is not null)
            {
                throw new EchoException($"the bridge closed session {_sessionId}: {frame.Closed}");
            }
        }

        await sending;
        return intact && _received.AsSpan(0, got).SequenceEqual(message.Span) ? EchoOutcome.Intact : EchoOutcome.Corrupt;
    }

    /// <summary>
    /// The next frame of the echo; but when the server refuses the send (a rate limit, a closed session) no echo will
    /// come, so the refusal ends the loop with its own words instead of a wait that never ends.
    /// </summary>
    private async ValueTask<BridgeFrame> NextFrameAsync(Task sending)
    {
        var reading = _frames.ReadAsync(_stop.Token);
        if (reading.IsCompleted || sending.IsCompletedSuccessfully)
        {
            return await reading;
        }

        var frame = reading.AsTask();
        if (await Task.WhenAny(frame, sending) == sending && !sending.IsCompletedSuccessfully)
        {
            await sending; // throws the server's refusal
        }

        return await frame;
    }

    /// <inheritdoc />
    public bool IsOpenAndQuiet() =>
        _connection.State == HubConnectionState.Connected && !_frames.Completion.IsCompleted && !_frames.TryPeek(out _);

    /// <inheritdoc />
    public void Abort() => _stop.Cancel();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _shared.ReleaseAsync();
        _stop.Dispose();
    }
}
