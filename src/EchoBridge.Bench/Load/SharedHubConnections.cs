using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR.Client;

namespace EchoBridge.Bench.Load;

/// <summary>
/// The hub connections of a hub run when several sessions share one, the way a dashboard tab runs several consoles
/// over its one connection: session <c>i</c> uses connection <c>i / hub.SessionsPerConnection</c>. Each connection is
/// started once, by whichever of its sessions comes first, and disposed when the last of them lets it go.
/// </summary>
public sealed class SharedHubConnections(HubClientSettings hub, int sessions)
{
    private readonly ConcurrentDictionary<int, Lazy<Task<SharedHubConnection>>> _connections = new();

    /// <summary>The started connection of session <paramref name="index"/>; release it when the session is done.</summary>
    public Task<SharedHubConnection> GetAsync(int index, CancellationToken cancellationToken)
    {
        var perConnection = hub.SessionsPerConnection;
        var group = index / perConnection;
        var users = Math.Min(perConnection, sessions - group * perConnection);
        return _connections.GetOrAdd(group, _ => new Lazy<Task<SharedHubConnection>>(async () =>
            new SharedHubConnection(await HubEchoLoop.ConnectAsync(hub, cancellationToken), users))).Value;
    }
}

/// <summary>A started hub connection and how many sessions still use it.</summary>
public sealed class SharedHubConnection(HubConnection connection, int users)
{
    private int _users = users;

    /// <summary>The connection.</summary>
    public HubConnection Connection => connection;

    /// <summary>One session is done with it; the last one disposes it.</summary>
    public async ValueTask ReleaseAsync()
    {
        if (Interlocked.Decrement(ref _users) == 0)
        {
            await connection.DisposeAsync();
        }
    }
}
