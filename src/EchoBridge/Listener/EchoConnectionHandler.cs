using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using EchoBridge.Contracts;
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
    IOptions<ListenerOptions> options,
    ILogger<EchoConnectionHandler> logger)
{
    // How long a goodbye may take to reach a client that is not reading before the connection is dropped instead.
    private static readonly TimeSpan GoodbyeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Runs the echo on <paramref name="connection"/> until it ends.</summary>
    public async Task HandleAsync(ConnectionContext connection, EchoEndpoint endpoint)
    {
        var settings = options.Value;
        var remote = DescribeRemote(connection);
        if (!registry.TryOpen(endpoint.Kind, remote, settings.MaxConnections, out var session, connection.LocalEndPoint))
        {
            await GoodbyeAsync(connection, endpoint.Telnet ? Farewells.Busy(settings.MaxConnections) : []);

            return;
        }

        var reason = CloseReason.Error;
        try
        {
            reason = await EchoAsync(connection, endpoint, session, settings);
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

    private static async Task<CloseReason> EchoAsync(ConnectionContext connection, EchoEndpoint endpoint, Session session,
        ListenerOptions settings)
    {
        var input = connection.Transport.Input;
        var pipe = connection.Transport.Output;
        var output = new SessionOutput(pipe, session);
        var scanner = new EchoScanner(endpoint.Telnet);

        // A close request (idle sweep, operator, shutdown) wakes whichever of read or flush is pending.
        session.OnCloseRequested(() =>
        {
            input.CancelPendingRead();
            pipe.CancelPendingFlush();
        });
        using var shutdown = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested
            .Register(static state => ((Session)state!).RequestClose(CloseReason.Shutdown), session);

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
                await GoodbyeAsync(connection, Farewells.Quit);
                return outcome == ScanOutcome.Quit ? CloseReason.Quit : CloseReason.Interrupt;
            }

            var flush = await pipe.FlushAsync();
            if (output.TakeWritten())
            {
                session.CountMessageOut();
            }

            if (session.CloseRequested is { } requested)
            {
                // Pure-echo endpoints stay byte-exact: they are closed without a word.
                var farewell = endpoint.Telnet ? Farewells.For(requested, settings.IdleTimeoutSeconds) : [];
                session.RecordOut(farewell);
                var told = await GoodbyeAsync(connection, farewell);
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
    private static async Task<bool> GoodbyeAsync(ConnectionContext connection, ReadOnlyMemory<byte> message)
    {
        using var timeout = new CancellationTokenSource(GoodbyeTimeout);
        try
        {
            var result = await connection.Transport.Output.WriteAsync(message, timeout.Token);
            if (result.IsCanceled)
            {
                // The close request cancelled a flush that had not started yet; this one is the real one.
                result = await connection.Transport.Output.FlushAsync(timeout.Token);
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

    private static string DescribeRemote(ConnectionContext connection)
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
