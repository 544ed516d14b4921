using EchoBridge.Sessions;
using Microsoft.Extensions.Options;

namespace EchoBridge.Bridge.WebSocket;

/// <summary>
/// Closes WebSocket bridge sessions with no bytes either way for <c>Bridge:WebSocket:IdleTimeoutSeconds</c>: one
/// timer for all of them, not one per session. (Hub sessions belong to a dashboard tab and live as long as it does.)
/// </summary>
public sealed class WebSocketIdleSweeper(BridgeRelay relay, IOptions<BridgeOptions> options, TimeProvider time) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timeout = TimeSpan.FromSeconds(options.Value.WebSocket.IdleTimeoutSeconds);
        var period = TimeSpan.FromSeconds(Math.Clamp(timeout.TotalSeconds / 4, 0.05, 1));
        using var timer = new PeriodicTimer(period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = time.GetTimestamp();
                foreach (var session in relay.Sessions)
                {
                    if (session.Via == BridgeVia.WebSocket && session.EndReason is null
                        && time.GetElapsedTime(session.LastActivityTimestamp, now) >= timeout)
                    {
                        _ = session.CloseAsync(CloseReason.IdleTimeout);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
