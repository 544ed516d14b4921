using EchoBridge.Contracts;
using EchoBridge.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace EchoBridge.Tests.Cluster;

/// <summary>A private redis-server and EchoBridge instances (in-process, real Kestrel and sockets) that use it.</summary>
public sealed class ClusterNodes : IAsyncDisposable
{
    private readonly List<TestHost> _hosts = [];

    private ClusterNodes(RedisServer redis) => Redis = redis;

    /// <summary>The Redis server.</summary>
    public RedisServer Redis { get; }

    /// <summary>Starts Redis and no instance yet.</summary>
    public static async Task<ClusterNodes> StartAsync() => new(await RedisServer.StartAsync().Within(TimeSpan.FromSeconds(20)));

    /// <summary>Starts an instance named <paramref name="name"/> on this Redis (pure echo, so bytes come back as sent).</summary>
    public async Task<TestHost> AddAsync(string name)
    {
        var host = await TestHost.StartAsync(Settings(name));
        _hosts.Add(host);
        return host;
    }

    /// <summary>The settings of an instance named <paramref name="name"/> on this Redis.</summary>
    public Dictionary<string, string?> Settings(string name) => new()
    {
        ["ConnectionStrings:Redis"] = Redis.ConnectionString,
        ["EchoBridge:InstanceName"] = name,
        ["Listener:Telnet"] = "false",
    };

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        await Redis.DisposeAsync();
    }

    /// <summary>Reads <c>Watch</c> on <paramref name="client"/> until a snapshot satisfies <paramref name="condition"/>.</summary>
    public static async Task<DashboardSnapshot> SnapshotAsync(BridgeClient client, Func<DashboardSnapshot, bool> condition,
        string what, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? Bounded.Step);
        DashboardSnapshot? last = null;
        try
        {
            await foreach (var snapshot in client.Connection.StreamAsync<DashboardSnapshot>(nameof(IBridgeHub.Watch), cancel.Token))
            {
                last = snapshot;
                if (condition(snapshot))
                {
                    return snapshot;
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // Timed out: reported below with the last snapshot seen.
        }

        Assert.Fail($"no snapshot showed {what} within {(timeout ?? Bounded.Step).TotalSeconds} s; the last: " +
            $"{(last?.Cluster is { } c ? $"available={c.Available}, instances=[{string.Join(", ", c.Instances.Select(i => $"{i.Name} up={i.Up}"))}]" : "no cluster")}, " +
            $"sessions=[{string.Join(", ", last?.Sessions.Select(s => $"{s.Instance}/{s.Id}") ?? [])}]");
        return null!;
    }
}
