using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using EchoBridge.Contracts;
using EchoBridge.Hosting;
using EchoBridge.Sessions;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Options;

namespace EchoBridge.Listener;

/// <summary>
/// Serves one TCP or Unix connection: read → scan → write → flush, until the client leaves, quits, or the session is
/// asked to close (idle timeout, an operator, shutdown). The pipes give backpressure for free: while the client does
/// not read its echo, the flush waits, so nothing more is read and memory stays bounded.
/// </summary>
public sealed partial class EchoConnectionHandler(
    SessionRegistry registry,
    ResourceBudget budget,
    ClientAddressCounter perAddress,
    IOptions<ListenerOptions> options,
    ILogger<EchoConnectionHandler> logger)
{
    // How long a goodbye may take to reach a client that is not reading before the connection is dropped instead.
    private static readonly TimeSpan GoodbyeTimeout = TimeSpan.FromSeconds(2);

    // Connections still in their PROXY header or TLS handshake: not sessions yet, but they hold descriptors for up to
    // the handshake timeout, so they count against the same cap.
    private int _inPrelude;

    /// <summary>Runs the echo on <paramref name="connection"/> until it ends; <paramref name="stopping"/> asks it to say goodbye.</summary>
    public async Task HandleAsync(ConnectionContext connection, EchoEndpoint endpoint, CancellationToken stopping)
    {
        var settings = options.Value;
        if (await RunPreludeAsync(connection, endpoint) is not { } prelude)
        {
            connection.Abort(new ConnectionAbortedException("refused before the echo began"));
            return;
        }

        await using var _ = prelude;
        if (prelude.Address is { } address && !perAddress.TryAdd(address))
        {
            registry.Refuse(endpoint.Kind, prelude.Remote, "per-address connection limit reached");
            await GoodbyeAsync(connection, prelude.Transport, endpoint.Telnet ? Farewells.BusyAddress(perAddress.Limit) : []);
            return;
        }

        try
        {
            await ServeAsync(connection, prelude, endpoint, settings, stopping);
        }
        finally
        {
            if (prelude.Address is { } counted)
            {
                perAddress.Remove(counted);
            }
        }
    }

    private async Task<ConnectionPrelude?> RunPreludeAsync(ConnectionContext connection, EchoEndpoint endpoint)
    {
        if (!endpoint.ProxyProtocol && endpoint.Tls is null)
        {
            return await ConnectionPrelude.RunAsync(connection, endpoint, registry, logger); // nothing to wait for
        }

        try
        {
            if (Interlocked.Increment(ref _inPrelude) + registry.ActiveStreamCount > budget.MaxStreamSessions)
            {
                registry.Refuse(endpoint.Kind, DescribeRemote(connection), "connection limit reached");
                return null;
            }

            return await ConnectionPrelude.RunAsync(connection, endpoint, registry, logger);
        }
        finally
        {
            Interlocked.Decrement(ref _inPrelude);
        }
    }

    private async Task ServeAsync(ConnectionContext connection, ConnectionPrelude prelude, EchoEndpoint endpoint,
        ListenerOptions settings, CancellationToken stopping)
    {
        var limit = budget.MaxStreamSessions;
        if (!registry.TryOpen(endpoint.Kind, prelude.Remote, limit, out var session, local: connection.LocalEndPoint))
        {
            await GoodbyeAsync(connection, prelude.Transport, endpoint.Telnet ? Farewells.Busy(limit) : []);

            return;
        }

        var reason = CloseReason.Error;
        try
        {
            reason = await EchoAsync(connection, prelude.Transport, endpoint, session, settings, stopping);
        }
        catch (ConnectionResetException)
        {
            reason = CloseReason.Reset;
        }
        catch (ConnectionAbortedException)
        {
            reason = session.CloseRequested ?? CloseReason.Reset;
        }
        catch (IOException)
        {
            reason = CloseReason.Reset;
        }
        catch (Exception ex)
        {
            LogFault(ex, session.Id);
        }
        finally
        {
            registry.Close(session, reason);
        }
    }

    private static async Task<CloseReason> EchoAsync(ConnectionContext connection, IDuplexPipe transport, EchoEndpoint endpoint,
        Session session, ListenerOptions settings, CancellationToken stopping)
    {
        var input = transport.Input;
        var pipe = transport.Output;
        var output = new SessionOutput(pipe, session);
        var scanner = new EchoScanner(endpoint.Telnet);

        // A close request (idle sweep, operator, shutdown) wakes whichever of read or flush is pending.
        session.OnCloseRequested(() =>
        {
            input.CancelPendingRead();
            pipe.CancelPendingFlush();
        });
        using var shutdown = stopping.Register(static state => ((Session)state!).RequestClose(CloseReason.Shutdown), session);

        while (true)
        {
            var read = await input.ReadAsync();
            var buffer = read.Buffer;
            var outcome = ScanOutcome.Continue;
            if (!buffer.IsEmpty)
            {
                session.RecordIn(buffer);
                outcome = scanner.Scan(buffer, output);
                session.SetLines(scanner.Lines);
            }

            input.AdvanceTo(buffer.End);

            if (outcome != ScanOutcome.Continue)
            {
                session.RecordOut(Farewells.Quit); // the farewell is part of the conversation (captures, inspector)
                await GoodbyeAsync(connection, transport, Farewells.Quit);
                return outcome == ScanOutcome.Quit ? CloseReason.Quit : CloseReason.Interrupt;
            }

            // A flush that waits is a client not reading its echo: the stall sweep closes it past the stall timeout.
            var pending = pipe.FlushAsync();
            if (!pending.IsCompleted)
            {
                session.MarkStalled();
            }

            var flush = await pending;
            session.ClearStalled();
            if (output.TakeWritten())
            {
                session.CountMessageOut();
            }

            if (session.CloseRequested is { } requested)
            {
                // Pure-echo endpoints stay byte-exact: they are closed without a word.
                var farewell = endpoint.Telnet ? Farewells.For(requested, settings) : [];
                session.RecordOut(farewell);
                var told = await GoodbyeAsync(connection, transport, farewell);
                return !told && requested == CloseReason.IdleTimeout ? CloseReason.Stalled : requested;
            }

            if (read.IsCompleted || flush.IsCompleted)
            {
                return CloseReason.ClientClosed; // everything it sent has been echoed (a half-close ends here)
            }
        }
    }

    /// <summary>
    /// Writes a last message and flushes everything still queued, for at most <see cref="GoodbyeTimeout"/>; a client
    /// that does not read by then is dropped. Returns whether it all went out.
    /// </summary>
    private static async Task<bool> GoodbyeAsync(ConnectionContext connection, IDuplexPipe transport, ReadOnlyMemory<byte> message)
    {
        using var timeout = new CancellationTokenSource(GoodbyeTimeout);
        try
        {
            var result = await transport.Output.WriteAsync(message, timeout.Token);
            if (result.IsCanceled)
            {
                // The close request cancelled a flush that had not started yet; this one is the real one.
                result = await transport.Output.FlushAsync(timeout.Token);
            }

            if (!result.IsCanceled)
            {
                return true;
            }
        }
        catch (OperationCanceledException)
        {
            // Fall through: the client is not reading.
        }

        connection.Abort(new ConnectionAbortedException("the client is not reading"));
        return false;
    }

    internal static string DescribeRemote(ConnectionContext connection)
    {
        if (connection.RemoteEndPoint is IPEndPoint ip)
        {
            // A dual-mode [::] listener sees IPv4 clients as ::ffff:a.b.c.d; show them as the IPv4 address they are
            // (as UDP does), which is also how the bridge names its own loopback sockets.
            return (ip.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(ip.Address.MapToIPv4(), ip.Port) : ip).ToString();
        }

        // A Unix client has no address; its process and user (SO_PEERCRED) say who it is.
        var socket = connection.Features.Get<IConnectionSocketFeature>()?.Socket;
        return socket is null ? "unix" : UnixPeer.Describe(socket);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Session {SessionId} failed")]
    private partial void LogFault(Exception exception, long sessionId);
}
