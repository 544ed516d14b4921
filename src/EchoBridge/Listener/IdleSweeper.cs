using EchoBridge.Contracts;
using EchoBridge.Sessions;
using Microsoft.Extensions.Options;

namespace EchoBridge.Listener;

/// <summary>
/// Kestrel has no idle timeout for raw connections, so this sweep provides one: once a second it asks every session
/// that has been quiet for too long to close (TCP and Unix after <c>IdleTimeoutSeconds</c>, UDP peers after
/// <c>Udp:PeerIdleSeconds</c>). The echo path only stamps the time of its last read; it never touches a timer.
/// </summary>
public sealed class IdleSweeper(SessionRegistry registry, IOptions<ListenerOptions> options, TimeProvider time)
    : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var streamTimeout = TimeSpan.FromSeconds(settings.IdleTimeoutSeconds);
        var udpTimeout = TimeSpan.FromSeconds(settings.Udp.PeerIdleSeconds);
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Sweep(streamTimeout, udpTimeout);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Asks every session idle past its timeout to close (a zero timeout never expires).</summary>
    public void Sweep(TimeSpan streamTimeout, TimeSpan udpTimeout)
    {
        var now = time.GetTimestamp();
        foreach (var session in registry.Sessions)
        {
            var timeout = session.Kind == SessionKind.Udp ? udpTimeout : streamTimeout;
            if (timeout > TimeSpan.Zero && session.IdleFor(now) >= timeout)
            {
                session.RequestClose(CloseReason.IdleTimeout);
            }
        }
    }
}
