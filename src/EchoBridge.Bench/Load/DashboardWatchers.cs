using EchoBridge.Bench.Cli;
using EchoBridge.Contracts;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace EchoBridge.Bench.Load;

/// <summary>
/// Dashboards watching while a run goes on: each is a hub connection reading the <c>Watch</c> stream, as an open
/// dashboard tab does, so a run can show what watching costs the listener (<c>--watchers</c>).
/// </summary>
public sealed class DashboardWatchers : IAsyncDisposable
{
    private readonly List<HubConnection> _connections = [];
    private readonly List<Task> _readers = [];
    private readonly CancellationTokenSource _stop = new();
    private long _snapshots;

    private DashboardWatchers()
    {
    }

    /// <summary>Snapshots received so far, by all watchers together.</summary>
    public long Snapshots => Interlocked.Read(ref _snapshots);

    /// <summary>
    /// <see cref="StartAsync"/> for a run: no watchers when <paramref name="count"/> is 0, and a failure to start them
    /// as words for the report instead of an exception.
    /// </summary>
    public static async Task<(DashboardWatchers? Watchers, string? Failure)> TryStartAsync(Uri hubUrl, int count,
        HubProtocol protocol, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return (null, null);
        }

        try
        {
            return (await StartAsync(hubUrl, count, protocol, cancellationToken), null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or HubException)
        {
            return (null, $"dashboard watchers on {hubUrl}: {ex.Message}");
        }
    }

    /// <summary>
    /// Opens <paramref name="count"/> watchers on the hub at <paramref name="hubUrl"/>, speaking <paramref name="protocol"/>
    /// (the dashboard speaks JSON; MessagePack shows what it would cost the server instead); each has its first snapshot
    /// when this returns.
    /// </summary>
    public static async Task<DashboardWatchers> StartAsync(Uri hubUrl, int count, HubProtocol protocol, CancellationToken cancellationToken)
    {
        var watchers = new DashboardWatchers();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var builder = new HubConnectionBuilder()
                    .WithUrl(hubUrl, options => options.Transports = HttpTransportType.WebSockets);
                if (protocol == HubProtocol.MessagePack)
                {
                    builder.AddMessagePackProtocol();
                }

                var connection = builder.Build();
                watchers._connections.Add(connection);
                await connection.StartAsync(cancellationToken);
                var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                watchers._readers.Add(watchers.ReadAsync(connection, first));
                await first.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            }

            return watchers;
        }
        catch
        {
            await watchers.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        await Task.WhenAll(_readers);
        _stop.Dispose();
    }

    private async Task ReadAsync(HubConnection connection, TaskCompletionSource first)
    {
        try
        {
            await foreach (var _ in connection.StreamAsync<DashboardSnapshot>(nameof(IBridgeHub.Watch), _stop.Token))
            {
                Interlocked.Increment(ref _snapshots);
                first.TrySetResult();
            }
        }
        catch (Exception ex) when (_stop.IsCancellationRequested || ex is OperationCanceledException)
        {
            // Stopped by DisposeAsync.
        }
        catch (Exception ex)
        {
            first.TrySetException(ex);
        }
    }
}
