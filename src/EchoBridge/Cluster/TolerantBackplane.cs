using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using StackExchange.Redis;

namespace EchoBridge.Cluster;

/// <summary>
/// SignalR's Redis backplane, except that a hub connection made or ended while Redis is away still succeeds: the
/// backplane subscribes every new connection to a Redis channel of its own and would fail the connection (a 500 on
/// the WebSocket) when it cannot. Our hub sends only to the calling connection, which the backplane delivers locally
/// without Redis, so such a connection loses nothing it uses; only sends from other servers to it would not arrive.
/// </summary>
public sealed partial class TolerantBackplane<THub>(IServiceProvider services, ILogger<TolerantBackplane<THub>> logger)
    : HubLifetimeManager<THub>, IDisposable where THub : Hub
{
    private readonly RedisHubLifetimeManager<THub> _redis = ActivatorUtilities.CreateInstance<RedisHubLifetimeManager<THub>>(services);

    /// <inheritdoc />
    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        try
        {
            await _redis.OnConnectedAsync(connection); // registers the connection locally first, then subscribes
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogLocalOnly(connection.ConnectionId, e.Message);
        }
    }

    /// <inheritdoc />
    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        try
        {
            await _redis.OnDisconnectedAsync(connection);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Redis away: a restarted Redis has no subscriptions of ours left; a reconnect re-subscribes only live ones.
            LogUnsubscribeFailed(connection.ConnectionId, e.Message);
        }
    }

    /// <inheritdoc />
    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _redis.SendAllAsync(methodName, args, cancellationToken);

    /// <inheritdoc />
    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        _redis.SendAllExceptAsync(methodName, args, excludedConnectionIds, cancellationToken);

    /// <inheritdoc />
    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _redis.SendConnectionAsync(connectionId, methodName, args, cancellationToken);

    /// <inheritdoc />
    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _redis.SendConnectionsAsync(connectionIds, methodName, args, cancellationToken);

    /// <inheritdoc />
    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _redis.SendGroupAsync(groupName, methodName, args, cancellationToken);

    /// <inheritdoc />
    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _redis.SendGroupsAsync(groupNames, methodName, args, cancellationToken);

    /// <inheritdoc />
    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        _redis.SendGroupExceptAsync(groupName, methodName, args, excludedConnectionIds, cancellationToken);

    /// <inheritdoc />
    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _redis.SendUserAsync(userId, methodName, args, cancellationToken);

    /// <inheritdoc />
    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _redis.SendUsersAsync(userIds, methodName, args, cancellationToken);

    /// <inheritdoc />
    public override Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        _redis.AddToGroupAsync(connectionId, groupName, cancellationToken);

    /// <inheritdoc />
    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        _redis.RemoveFromGroupAsync(connectionId, groupName, cancellationToken);

    /// <inheritdoc />
    public override Task<T> InvokeConnectionAsync<T>(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken) =>
        _redis.InvokeConnectionAsync<T>(connectionId, methodName, args, cancellationToken);

    /// <inheritdoc />
    public override Task SetConnectionResultAsync(string connectionId, Microsoft.AspNetCore.SignalR.Protocol.CompletionMessage result) =>
        _redis.SetConnectionResultAsync(connectionId, result);

    /// <inheritdoc />
    public override bool TryGetReturnType(string invocationId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Type? type) =>
        _redis.TryGetReturnType(invocationId, out type);

    /// <inheritdoc />
    public void Dispose() => _redis.Dispose();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Hub connection {ConnectionId} joined without the Redis backplane ({Reason}): it is served here as usual")]
    private partial void LogLocalOnly(string connectionId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Hub connection {ConnectionId} left without unsubscribing from the Redis backplane ({Reason})")]
    private partial void LogUnsubscribeFailed(string connectionId, string reason);
}
