using EchoBridge.Contracts;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace EchoBridge.Bench.Hostile;

/// <summary>
/// (e) Hub calls the server must refuse, each carrying a long name of the client's choosing with NUL bytes, a line
/// break and an escape sequence in it: the log must neither grow with them nor carry their text raw.
/// </summary>
public sealed class RefusedHubCalls(int calls, int nameLength) : IHostilePhase
{
    private const int InFlight = 200;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public string Key => "refused-calls";

    /// <inheritdoc />
    public string Title => "(e) refused hub calls with long names holding NUL bytes";

    /// <summary>The name each call opens: NULs, a forged log line and an escape sequence, padded to <paramref name="length"/>.</summary>
    public static string HostileName(int length)
    {
        const string Head = "evil\0name\0\r\n[12:00:00 ERR] forged line \u001b[31m\0";
        return length <= Head.Length ? Head[..length] : Head + new string('x', length - Head.Length);
    }

    /// <inheritdoc />
    public async Task<PhaseLoad> RunAsync(HostileServer server, PhaseWindow window)
    {
        var outcome = new OutcomeCounts("refused", "not refused", "failed");
        var name = HostileName(nameLength);
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.Http, BridgeHubRoute.Path.TrimStart('/')), options => options.Transports = HttpTransportType.WebSockets)
            .Build();
        try
        {
            using (var start = CancellationTokenSource.CreateLinkedTokenSource(window.Over))
            {
                start.CancelAfter(Timeout);
                await connection.StartAsync(start.Token);
            }

            for (var sent = 0; sent < calls && !window.Over.IsCancellationRequested; sent += InFlight)
            {
                using var batch = CancellationTokenSource.CreateLinkedTokenSource(window.Over);
                batch.CancelAfter(Timeout);
                var pending = Enumerable.Range(0, Math.Min(InFlight, calls - sent))
                    .Select(_ => connection.InvokeAsync<BridgeSessionInfo>(nameof(IBridgeHub.Open), name, batch.Token))
                    .ToList();
                foreach (var call in pending)
                {
                    try
                    {
                        await call;
                        outcome.Add("not refused");
                    }
                    catch (HubException)
                    {
                        outcome.Add("refused");
                    }
                    catch (OperationCanceledException) when (!window.Over.IsCancellationRequested)
                    {
                        outcome.Add("failed");
                    }
                }
            }

            await window.HoldAsync();
        }
        catch (OperationCanceledException)
        {
            // the phase's time ran out
        }

        return new PhaseLoad($"{calls:N0} Open calls with a {nameLength:N0}-character name holding NULs, {InFlight} in flight", outcome.Snapshot());
    }
}
