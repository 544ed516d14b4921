using System.Collections.Concurrent;
using System.Net.WebSockets;
using EchoBridge.Contracts;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace EchoBridge.Bench.Hostile;

/// <summary>
/// (d) Many hub connections, each opening as many bridge sessions to <c>echo</c> as it may, and many <c>/websockify</c>
/// WebSockets bridged to <c>echo</c>, every session echoing one line, all held until the phase ends: the client
/// connection and bridge session caps (fitted to the descriptors) must refuse the surplus with 503 or a refused
/// <c>Open</c>, and the veterans keep being served.
/// </summary>
public sealed class BridgeFlood(int hubConnections, int sessionsPerConnection, int webSockets) : IHostilePhase
{
    // Below the default per-address cap of hub and WebSocket connections (100): this phase is about the totals.
    private const int PerAddress = 90;
    private const int InFlight = 32;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly byte[] Line = "bridged\n"u8.ToArray();

    /// <inheritdoc />
    public string Key => "bridge-flood";

    /// <inheritdoc />
    public string Title => "(d) hub and /websockify flood, each opening bridge sessions to echo";

    /// <inheritdoc />
    public async Task<PhaseLoad> RunAsync(HostileServer server, PhaseWindow window)
    {
        var outcome = new OutcomeCounts("sessions echoed", "hub connections refused", "sessions refused", "websockets refused", "failed");
        var hubs = new ConcurrentBag<HubConnection>();
        var sockets = new ConcurrentBag<ClientWebSocket>();
        var hubAddresses = LoopbackSources.AddressesFor(hubConnections, PerAddress);
        // One handler per source address, kept until every WebSocket made through it is gone.
        var invokers = new ConcurrentDictionary<System.Net.IPAddress, Lazy<HttpMessageInvoker>>();
        HttpMessageInvoker From(System.Net.IPAddress source) =>
            invokers.GetOrAdd(source, a => new Lazy<HttpMessageInvoker>(() => new HttpMessageInvoker(LoopbackSources.HandlerFrom(a)))).Value;
        try
        {
            // The hub connections and the WebSockets come interleaved: one budget serves both front doors.
            var clients = Enumerable.Range(0, Math.Max(hubConnections, webSockets))
                .SelectMany(i => new[] { (Hub: true, Index: i), (Hub: false, Index: i) })
                .Where(c => c.Index < (c.Hub ? hubConnections : webSockets));
            await Parallel.ForEachAsync(clients, new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = window.Over },
                async (client, token) =>
                {
                    if (client.Hub)
                    {
                        await HubClientAsync(server, From(LoopbackSources.Of(client.Index, PerAddress)), hubs, outcome, token);
                    }
                    else
                    {
                        await WebSocketAsync(server, From(LoopbackSources.Of(client.Index, PerAddress, hubAddresses)), sockets, outcome, token);
                    }
                });
            await window.HoldAsync();
        }
        catch (OperationCanceledException)
        {
            // the phase's time ran out while they were still coming
        }
        finally
        {
            await Task.WhenAll(hubs.Select(async hub => await hub.DisposeAsync()));
            foreach (var socket in sockets)
            {
                socket.Abort();
                socket.Dispose();
            }

            foreach (var invoker in invokers.Values)
            {
                invoker.Value.Dispose();
            }
        }

        return new PhaseLoad($"{hubConnections:N0} hub connections × {sessionsPerConnection} session{(sessionsPerConnection == 1 ? "" : "s")} and {webSockets:N0} WebSockets, "
            + $"from {hubAddresses + LoopbackSources.AddressesFor(webSockets, PerAddress)} addresses, held", outcome.Snapshot());
    }

    private async Task HubClientAsync(HostileServer server, HttpMessageInvoker invoker, ConcurrentBag<HubConnection> hubs, OutcomeCounts outcome, CancellationToken token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.Http, BridgeHubRoute.Path.TrimStart('/')), options =>
            {
                // Straight to the WebSocket, from this client's address (negotiate would come from another connection).
                options.SkipNegotiation = true;
                options.Transports = HttpTransportType.WebSockets;
                options.WebSocketFactory = async (context, cancellationToken) =>
                {
                    var socket = new ClientWebSocket();
                    try
                    {
                        await socket.ConnectAsync(context.Uri, invoker, cancellationToken);
                        return socket;
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                };
            })
            .Build();
        hubs.Add(connection);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(token);
        limit.CancelAfter(Timeout);
        try
        {
            await connection.StartAsync(limit.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException || (ex is OperationCanceledException && !token.IsCancellationRequested))
        {
            outcome.Add("hub connections refused");
            return;
        }

        for (var s = 0; s < sessionsPerConnection && !token.IsCancellationRequested; s++)
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(token);
            attempt.CancelAfter(Timeout);
            try
            {
                var session = await connection.InvokeAsync<BridgeSessionInfo>(nameof(IBridgeHub.Open), "echo", attempt.Token);
                var frames = await connection.StreamAsChannelAsync<BridgeFrame>(nameof(IBridgeHub.Receive), session.SessionId, token);
                await connection.InvokeAsync(nameof(IBridgeHub.Send), session.SessionId, "bridged\n", attempt.Token);
                var got = 0;
                while (got < Line.Length)
                {
                    var frame = await frames.ReadAsync(attempt.Token);
                    got += frame.Data.Length;
                    if (frame.Closed is not null)
                    {
                        break;
                    }
                }

                outcome.Add(got == Line.Length ? "sessions echoed" : "failed");
            }
            catch (HubException)
            {
                outcome.Add("sessions refused"); // a cap: the words are the server's
            }
            catch (InvalidOperationException) when (connection.State != HubConnectionState.Connected)
            {
                outcome.Add("hub connections dropped"); // closed by the server (Kestrel's connection cap) after it started
                return;
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                outcome.Add("failed");
            }
        }
    }

    private static async Task WebSocketAsync(HostileServer server, HttpMessageInvoker invoker, ConcurrentBag<ClientWebSocket> sockets, OutcomeCounts outcome,
        CancellationToken token)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("binary");
        sockets.Add(socket);
        var url = new UriBuilder(server.Http) { Scheme = "ws", Path = "/websockify", Query = "token=echo" }.Uri;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(token);
        limit.CancelAfter(Timeout);
        try
        {
            await socket.ConnectAsync(url, invoker, limit.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException || (ex is OperationCanceledException && !token.IsCancellationRequested))
        {
            outcome.Add("websockets refused"); // 503 before the upgrade
            return;
        }

        try
        {
            await socket.SendAsync(Line, WebSocketMessageType.Binary, endOfMessage: true, limit.Token);
            var buffer = new byte[64];
            var got = 0;
            while (got < Line.Length)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(got), limit.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    outcome.Add(socket.CloseStatus == (WebSocketCloseStatus)1013 ? "sessions refused" : "failed"); // 1013: the session cap
                    return;
                }

                got += received.Count;
            }

            outcome.Add("sessions echoed");
        }
        catch (Exception ex) when (ex is WebSocketException || (ex is OperationCanceledException && !token.IsCancellationRequested))
        {
            outcome.Add("failed");
        }
    }
}
