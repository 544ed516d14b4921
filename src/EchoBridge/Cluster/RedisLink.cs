using StackExchange.Redis;

namespace EchoBridge.Cluster;

/// <summary>
/// The cluster view's one connection to Redis (SignalR's backplane keeps its own). It is made in the background, so
/// start never waits on Redis; StackExchange.Redis reconnects by itself, and restores subscriptions, after an outage.
/// </summary>
public sealed partial class RedisLink(ClusterSettings settings, ILogger<RedisLink> logger) : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private Task<ConnectionMultiplexer>? _connecting;

    /// <summary>The connection when Redis is reachable now; null before the first connect and during an outage.</summary>
    public IConnectionMultiplexer? Connected =>
        Volatile.Read(ref _connecting) is { IsCompletedSuccessfully: true } task && task.Result.IsConnected ? task.Result : null;

    /// <summary>Starts connecting (once); returns at once.</summary>
    public void Start()
    {
        lock (_lock)
        {
            _connecting ??= ConnectAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _connecting) is { } connecting)
        {
            var connection = await connecting;
            await connection.CloseAsync(allowCommandsToComplete: false);
            await connection.DisposeAsync();
        }
    }

    private async Task<ConnectionMultiplexer> ConnectAsync()
    {
        await Task.Yield();
        var options = settings.Redis;
        options.ClientName = $"{ClusterSettings.Prefix}-{settings.InstanceName}";
        var connection = await ConnectionMultiplexer.ConnectAsync(options);
        connection.ConnectionFailed += (_, e) => LogLost(e.EndPoint?.ToString() ?? "?", e.FailureType.ToString());
        connection.ConnectionRestored += (_, e) => LogRestored(e.EndPoint?.ToString() ?? "?");
        if (!connection.IsConnected)
        {
            LogUnreachable(string.Join(", ", options.EndPoints));
        }

        return connection;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis {EndPoints} cannot be reached yet: the cluster view is unavailable until it can (local serving is not affected)")]
    private partial void LogUnreachable(string endPoints);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost Redis {EndPoint} ({Failure}): the cluster view is unavailable until it is back (local serving is not affected)")]
    private partial void LogLost(string endPoint, string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconnected to Redis {EndPoint}: the cluster view is back")]
    private partial void LogRestored(string endPoint);
}
