using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using EchoBridge.Bridge;
using EchoBridge.Contracts;
using EchoBridge.Sessions;
using Microsoft.AspNetCore.SignalR;
using StackExchange.Redis;

namespace EchoBridge.Cluster;

/// <summary>
/// Routes the dashboard's <c>Disconnect</c> and <c>Inspect</c> of a session on another instance to that instance
/// (its owner) through Redis pub/sub, and serves the ones routed here. Each instance listens on its own inbox
/// channel; an answer goes to the asker's inbox with the request's id. An inspection's frames come back in batches,
/// one per poll of the owner's traffic ring at most (bounded: the last 32 chunks, 128 bytes each); the owner stops
/// when the asker says so or is gone (nobody listens on its inbox), at most <see cref="MaxServedInspections"/> at once.
/// </summary>
public sealed partial class ClusterActions(
    ClusterSettings settings,
    RedisLink redis,
    SessionRegistry registry,
    TrafficInspector inspector,
    ILogger<ClusterActions> logger)
{
    /// <summary>Inspections this instance serves for others at once; one more is refused in words.</summary>
    public const int MaxServedInspections = 32;

    // Batches of a remote inspection waiting for the hub stream to take them; a slow reader loses the oldest.
    private const int InspectionBuffer = 32;

    // An empty batch at least this often tells the asker the owner is still there (and tells the owner whether the asker is).
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<long, Channel<ClusterMessage>> _waiting = new();
    private readonly ConcurrentDictionary<(string From, long RequestId), CancellationTokenSource> _served = new();
    private readonly SemaphoreSlim _subscribing = new(1, 1);
    private long _nextRequest;
    private volatile bool _subscribed;

    /// <summary>Inspections served for other instances now.</summary>
    public int ServedInspections => _served.Count;

    /// <summary>Listens on this instance's inbox (once; the connection restores it after an outage).</summary>
    public async Task EnsureSubscribedAsync(IConnectionMultiplexer connection)
    {
        if (_subscribed)
        {
            return;
        }

        await _subscribing.WaitAsync();
        try
        {
            if (!_subscribed)
            {
                var inbox = await connection.GetSubscriber().SubscribeAsync(ClusterSettings.Inbox(settings.InstanceName));
                inbox.OnMessage(OnMessageAsync);
                _subscribed = true;
            }
        }
        finally
        {
            _subscribing.Release();
        }
    }

    /// <summary>Ends session <paramref name="sessionId"/> on <paramref name="instance"/>; fails in words when it cannot.</summary>
    public async Task DisconnectAsync(string instance, long sessionId)
    {
        var (id, answers) = Expect(1);
        try
        {
            await SendAsync(instance, new ClusterMessage(ClusterMessageKind.Disconnect, settings.InstanceName, id, sessionId));
            var reply = await NextAsync(instance, answers, CancellationToken.None);
            if (reply.Error is { } error)
            {
                throw new HubException(error);
            }
        }
        finally
        {
            _waiting.TryRemove(id, out _);
        }
    }

    /// <summary>The recent, then the live traffic of session <paramref name="sessionId"/> on <paramref name="instance"/>.</summary>
    public async IAsyncEnumerable<TrafficFrame> InspectAsync(string instance, long sessionId,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (id, batches) = Expect(InspectionBuffer);
        try
        {
            await SendAsync(instance, new ClusterMessage(ClusterMessageKind.Inspect, settings.InstanceName, id, sessionId));
            while (true)
            {
                var batch = await NextAsync(instance, batches, cancellationToken);
                if (batch.Error is { } error)
                {
                    throw new HubException(error);
                }

                foreach (var frame in batch.Frames ?? [])
                {
                    yield return frame;
                }

                if (batch.Ended)
                {
                    yield break;
                }
            }
        }
        finally
        {
            _waiting.TryRemove(id, out _);
            // Best effort: an owner that misses it stops on its own once nobody listens on this inbox.
            if (redis.Connected is { } connection)
            {
                _ = connection.GetSubscriber().PublishAsync(ClusterSettings.Inbox(instance),
                    Serialize(new ClusterMessage(ClusterMessageKind.Stop, settings.InstanceName, id)), CommandFlags.FireAndForget);
            }
        }
    }

    private (long Id, Channel<ClusterMessage> Answers) Expect(int capacity)
    {
        var id = Interlocked.Increment(ref _nextRequest);
        var answers = Channel.CreateBounded<ClusterMessage>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        _waiting[id] = answers;
        return (id, answers);
    }

    private async Task SendAsync(string instance, ClusterMessage message)
    {
        if (redis.Connected is not { } connection)
        {
            throw new HubException($"The cluster view is unavailable (Redis cannot be reached): sessions on '{instance}' cannot be reached now.");
        }

        long listeners;
        try
        {
            listeners = await connection.GetSubscriber().PublishAsync(ClusterSettings.Inbox(instance), Serialize(message));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            throw new HubException($"The cluster view is unavailable (Redis: {e.Message}): sessions on '{instance}' cannot be reached now.");
        }

        if (listeners == 0)
        {
            throw new HubException($"Unknown instance '{instance}' (it is not running, or not in this cluster).");
        }
    }

    private static async Task<ClusterMessage> NextAsync(string instance, Channel<ClusterMessage> answers, CancellationToken cancellationToken)
    {
        try
        {
            return await answers.Reader.ReadAsync(cancellationToken).AsTask().WaitAsync(ClusterSettings.ReplyTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new HubException($"Instance '{instance}' did not answer within {ClusterSettings.ReplyTimeout.TotalSeconds:0} s.");
        }
    }

    // Runs on StackExchange.Redis' ordered handler for the inbox: quick work only; an inspection runs on its own.
    private Task OnMessageAsync(ChannelMessage message)
    {
        ClusterMessage? received;
        try
        {
            received = JsonSerializer.Deserialize((byte[])message.Message!, ClusterJson.Default.ClusterMessage);
        }
        catch (JsonException e)
        {
            LogUnreadable(e.Message);
            return Task.CompletedTask;
        }

        switch (received)
        {
            case { Kind: ClusterMessageKind.Reply or ClusterMessageKind.Frames }:
                if (_waiting.TryGetValue(received.RequestId, out var answers))
                {
                    answers.Writer.TryWrite(received);
                }

                return Task.CompletedTask;
            case { Kind: ClusterMessageKind.Disconnect }:
                string? error = null;
                if (registry.TryGet(received.SessionId, out var session))
                {
                    session.RequestClose(CloseReason.Disconnected);
                }
                else
                {
                    error = UnknownSession(received.SessionId);
                }

                return AnswerAsync(received, new ClusterMessage(ClusterMessageKind.Reply, settings.InstanceName, received.RequestId, Error: error));
            case { Kind: ClusterMessageKind.Inspect }:
                return StartInspection(received);
            case { Kind: ClusterMessageKind.Stop }:
                if (_served.TryRemove((received.From, received.RequestId), out var serving))
                {
                    serving.Cancel();
                }

                return Task.CompletedTask;
            default:
                LogUnreadable($"unknown kind '{received?.Kind}'");
                return Task.CompletedTask;
        }
    }

    private Task StartInspection(ClusterMessage request)
    {
        if (!registry.TryGet(request.SessionId, out var session))
        {
            return AnswerAsync(request, Batch(request, [], false, UnknownSession(request.SessionId)));
        }

        if (_served.Count >= MaxServedInspections)
        {
            return AnswerAsync(request, Batch(request, [], false,
                $"Inspection limit reached: '{settings.InstanceName}' already serves {MaxServedInspections} inspections for other instances."));
        }

        var stop = new CancellationTokenSource();
        _served[(request.From, request.RequestId)] = stop;
        _ = ServeInspectionAsync(request, session, stop);
        return Task.CompletedTask;
    }

    private async Task ServeInspectionAsync(ClusterMessage request, Session session, CancellationTokenSource stop)
    {
        try
        {
            var lastSent = DateTime.MinValue;
            await foreach (var frames in inspector.PollAsync(session, stop.Token))
            {
                if (frames.Count == 0 && DateTime.UtcNow - lastSent < KeepAlive)
                {
                    continue;
                }

                lastSent = DateTime.UtcNow;
                if (await AnswerAsync(request, Batch(request, frames, false, null)) == 0)
                {
                    return; // the asker is gone
                }
            }

            await AnswerAsync(request, Batch(request, [], true, null)); // the session ended: the stream ends too
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The asker stopped reading.
        }
        finally
        {
            _served.TryRemove((request.From, request.RequestId), out _);
            stop.Dispose();
        }
    }

    private ClusterMessage Batch(ClusterMessage request, IReadOnlyList<TrafficFrame> frames, bool ended, string? error) =>
        new(ClusterMessageKind.Frames, settings.InstanceName, request.RequestId, request.SessionId, error, frames, ended);

    // How many listened (0: the asker is gone); a Redis failure here leaves the asker to time out in words.
    private async Task<long> AnswerAsync(ClusterMessage request, ClusterMessage answer)
    {
        if (redis.Connected is not { } connection)
        {
            return 0;
        }

        try
        {
            return await connection.GetSubscriber().PublishAsync(ClusterSettings.Inbox(request.From), Serialize(answer));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogAnswerLost(request.From, e.Message);
            return 0;
        }
    }

    private string UnknownSession(long id) => $"Unknown listener session {id} on '{settings.InstanceName}'.";

    private static byte[] Serialize(ClusterMessage message) => JsonSerializer.SerializeToUtf8Bytes(message, ClusterJson.Default.ClusterMessage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A cluster message could not be read: {Reason}")]
    private partial void LogUnreadable(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "An answer to {Instance} could not be sent: {Reason}")]
    private partial void LogAnswerLost(string instance, string reason);
}
