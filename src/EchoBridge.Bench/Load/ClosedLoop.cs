using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.AspNetCore.SignalR;

namespace EchoBridge.Bench.Load;

/// <summary>The driver of one connection in a closed-loop run: messages back to back until the window closes.</summary>
public static class ClosedLoop
{
    /// <summary>Runs <paramref name="loop"/> until <paramref name="window"/> stops it or its connection fails.</summary>
    public static async Task RunAsync(IEchoLoop loop, RunWindow window)
    {
        // Start every loop on the thread pool rather than inline in the caller's for-each, so they begin together.
        await Task.Yield();
        var stats = loop.Stats;
        try
        {
            for (long seq = 0; ; seq++)
            {
                var start = Stopwatch.GetTimestamp();
                if (window.IsOver(start))
                {
                    return;
                }

                var outcome = await loop.EchoOnceAsync(seq);
                if (outcome == EchoOutcome.Lost)
                {
                    stats.RecordLost();
                    continue;
                }

                stats.Record(start, Stopwatch.GetTimestamp(), outcome == EchoOutcome.Intact, window);
            }
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            stats.Fail(window.Aborted ? "no echo came back before the grace period after the run ended" : Describe(ex));
        }
    }

    /// <summary>Whether <paramref name="ex"/> says the connection failed (as opposed to a bug in the bench).</summary>
    public static bool IsConnectionFailure(Exception ex) =>
        ex is SocketException or IOException or ObjectDisposedException or OperationCanceledException or EchoException
            or HttpRequestException or WebSocketException or HubException
            or InvalidOperationException; // a closed HubConnection or stream channel

    /// <summary>One line about a connection failure.</summary>
    public static string Describe(Exception ex) => ex switch
    {
        SocketException socket => $"{socket.SocketErrorCode}: {socket.Message}",
        HttpRequestException { StatusCode: HttpStatusCode.NotFound } => "no bridge hub at that URL (404 Not Found)",
        HttpRequestException { InnerException: SocketException socket } => $"{socket.SocketErrorCode}: {socket.Message}",
        EchoException or HubException or HttpRequestException => ex.Message,
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };
}
