using EchoBridge.Contracts;
using EchoBridge.Sessions;
using Microsoft.Extensions.Options;

namespace EchoBridge.Listener;

/// <summary>
/// Once a second, asks every session that has been quiet for too long to close (TCP and Unix after
/// <c>IdleTimeoutSeconds</c>, UDP peers after <c>Udp:PeerIdleSeconds</c>), and every client that has left its echo
/// unread past <c>StallTimeoutSeconds</c> (Redis's output-buffer limit); while the echo's buffers hold more than
/// <c>MaxBufferedBytes</c>, the clients stalled longest go first. The echo path only stamps times; it never touches a timer.
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
        var stallTimeout = TimeSpan.FromSeconds(settings.StallTimeoutSeconds);
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Sweep(streamTimeout, udpTimeout);
                SweepStalled(stallTimeout, EchoTransport.Blocks.Bytes > settings.MaxBufferedBytes);
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

    /// <summary>
    /// Closes every client stalled past <paramref name="timeout"/>; when <paramref name="overBudget"/>, also the
    /// longest-stalled tenth of the rest (at least one), so the buffers fall back under the budget within seconds.
    /// </summary>
    public void SweepStalled(TimeSpan timeout, bool overBudget)
    {
        var now = time.GetTimestamp();
        List<(Session Session, TimeSpan For)>? stalled = overBudget ? [] : null;
        foreach (var session in registry.Sessions)
        {
            var stalledFor = session.StalledFor(now);
            if (stalledFor >= timeout)
            {
                session.RequestClose(CloseReason.Stalled);
            }
            else if (stalledFor > TimeSpan.Zero)
            {
                stalled?.Add((session, stalledFor));
            }
        }

        if (stalled is { Count: > 0 })
        {
            foreach (var (session, _) in stalled.OrderByDescending(s => s.For).Take(Math.Max(1, stalled.Count / 10)))
            {
                session.RequestClose(CloseReason.Stalled);
            }
        }
    }
}
