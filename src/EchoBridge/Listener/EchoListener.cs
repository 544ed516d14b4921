using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using EchoBridge.Contracts;
using EchoBridge.Hosting;
using EchoBridge.Sessions;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace EchoBridge.Listener;

/// <summary>
/// The echo listener: the one owner of the echo endpoints. It binds TCP, TLS, Unix and UDP in <see cref="StartAsync"/>,
/// publishes what it bound (<see cref="ListenerEndpoints"/>), runs an accept loop per stream endpoint, and at stop
/// tells every session and closes it. The endpoints are not Kestrel's, so the HTTP side keeps ASP.NET Core's URL
/// settings and Kestrel's defaults; each accepted socket gets Kestrel's socket connection (pipes) through
/// <see cref="EchoTransport"/>.
/// </summary>
public sealed partial class EchoListener(
    ListenerEndpoints endpoints,
    EchoConnectionHandler handler,
    UdpEchoService udp,
    SessionRegistry registry,
    IConfiguration configuration,
    ResourceBudget budget,
    IOptions<ListenerOptions> options,
    TimeProvider time,
    ILogger<EchoListener> logger) : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<(Socket Socket, EchoEndpoint Endpoint)> _listeners = [];
    private readonly List<Task> _acceptLoops = [];
    // Each running connection and the task that ends when it is served and disposed.
    private readonly ConcurrentDictionary<ConnectionContext, Task> _connections = new();
    private SocketConnectionContextFactory? _transport;
    private string? _unixPath;
    // The socket lab's backlog experiment: while paused, _resumed is set and _accepting is cancelled (waking pending accepts).
    private readonly Lock _pauseLock = new();
    private CancellationTokenSource _accepting = new();
    private TaskCompletionSource? _resumed;
    private ITimer? _autoResume;

    /// <summary>The longest a pause may last before accepting resumes by itself.</summary>
    public static readonly TimeSpan MaxPause = TimeSpan.FromMinutes(5);

    /// <summary>Whether accepting is paused.</summary>
    public bool IsAcceptPaused
    {
        get
        {
            lock (_pauseLock)
            {
                return _resumed is not null;
            }
        }
    }

    /// <summary>
    /// Stops accepting on every stream endpoint without closing the listening sockets: new clients still finish the
    /// handshake and wait in the kernel's accept queue (up to the backlog). Resumes by itself after
    /// <paramref name="autoResume"/> (at most <see cref="MaxPause"/>); pausing again restarts that clock.
    /// </summary>
    public void PauseAccepting(TimeSpan autoResume)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(autoResume, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(autoResume, MaxPause);
        lock (_pauseLock)
        {
            if (_resumed is null)
            {
                _resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _accepting.Cancel();
            }

            _autoResume?.Dispose();
            _autoResume = time.CreateTimer(_ => ResumeAccepting(), null, autoResume, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Accepts again: the queued clients are served in the order the kernel queued them. Nothing when not paused.</summary>
    public void ResumeAccepting()
    {
        lock (_pauseLock)
        {
            _autoResume?.Dispose();
            _autoResume = null;
            _accepting = new CancellationTokenSource(); // the cancelled one is left to the GC: a loop may still read its token
            _resumed?.TrySetResult();
            _resumed = null;
        }
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var streams = new List<EchoEndpoint>();
        var udpSockets = new List<Socket>();
        try
        {
            var port = BindTcp(settings, streams);
            if (settings.Tls.Port is { } tlsPort)
            {
                BindTls(settings, tlsPort, streams);
            }

            if (settings.Udp.Enabled)
            {
                ListenerAddresses.TryParse(settings.BindAddress, out var addresses);
                udpSockets.AddRange(addresses.Select(address => UdpEchoService.Bind(new IPEndPoint(address, port))));
            }

            if (settings.Unix.Enabled)
            {
                BindUnix(settings, streams);
            }
        }
        catch
        {
            udpSockets.ForEach(socket => socket.Dispose());
            CloseListeners();
            throw;
        }

        _transport = EchoTransport.Create(settings.InlineScheduling, logger);
        foreach (var (socket, endpoint) in _listeners)
        {
            _acceptLoops.Add(AcceptLoopAsync(socket, endpoint, _stopping.Token));
        }

        if (udpSockets.Count > 0)
        {
            udp.Start(udpSockets);
        }

        endpoints.Publish(streams, [.. udpSockets.Select(socket => (IPEndPoint)socket.LocalEndPoint!)]);
        LogListening(string.Join(", ", endpoints.Describe().Select(e => $"{e.Protocol} {e.Address}{(e.Telnet ? " (telnet)" : "")}")));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Stop taking new clients, tell every session, and give them until the host's shutdown timeout to go.
        await _stopping.CancelAsync();
        CloseListeners();
        await Task.WhenAll(_acceptLoops);
        foreach (var session in registry.Sessions)
        {
            if (session.Kind != SessionKind.Udp)
            {
                session.RequestClose(CloseReason.Shutdown);
            }
        }

        try
        {
            await Task.WhenAll(_connections.Values).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            LogAborting(_connections.Count);
            foreach (var (connection, _) in _connections)
            {
                connection.Abort(new ConnectionAbortedException("the server is shutting down"));
            }
        }

        await udp.StopAsync();
        if (_unixPath is { } path && Path.Exists(path))
        {
            File.Delete(path);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        CloseListeners();
        lock (_pauseLock)
        {
            _autoResume?.Dispose();
        }

        await Task.WhenAll(_connections.Values).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _transport?.Dispose();
        _stopping.Dispose();
    }

    private int BindTcp(ListenerOptions settings, List<EchoEndpoint> streams) =>
        BindIp(SessionKind.Tcp, settings, settings.Port, tls: null, streams);

    private void BindTls(ListenerOptions settings, int port, List<EchoEndpoint> streams)
    {
        var own = settings.Tls.Certificate;
        var kestrelDefault = configuration.GetSection("Kestrel:Certificates:Default").Get<CertificateFileOptions>() ?? new();
        var (files, setting) = own.Path.Length > 0 ? (own, "Listener:Tls:Certificate")
            : kestrelDefault.Path.Length > 0 ? (kestrelDefault, "Kestrel:Certificates:Default")
            : throw new StartupException("Listener:Tls:Port is set but there is no certificate: set Listener:Tls:Certificate:Path (and KeyPath or Password) or Kestrel:Certificates:Default:Path");
        var tls = new SslServerAuthenticationOptions { ServerCertificate = TlsCertificate.Load(files, setting) };
        BindIp(SessionKind.Tls, settings, port, tls, streams);
    }

    // One stream endpoint per bind address; port 0 picks a free port once, and the other addresses take the same number.
    private int BindIp(SessionKind kind, ListenerOptions settings, int port, SslServerAuthenticationOptions? tls,
        List<EchoEndpoint> streams)
    {
        ListenerAddresses.TryParse(settings.BindAddress, out var addresses);
        foreach (var address in addresses)
        {
            var socket = Listen(new IPEndPoint(address, port), settings.Backlog, kind == SessionKind.Tls ? "TLS" : "TCP");
            var bound = (IPEndPoint)socket.LocalEndPoint!;
            port = bound.Port;
            var endpoint = new EchoEndpoint(kind, settings.Telnet, bound)
            {
                ProxyProtocol = settings.ProxyProtocol,
                Tls = tls,
                HandshakeTimeout = TimeSpan.FromSeconds(settings.Tls.HandshakeTimeoutSeconds),
            };
            _listeners.Add((socket, endpoint));
            streams.Add(endpoint);
        }

        return port;
    }

    private void BindUnix(ListenerOptions settings, List<EchoEndpoint> streams)
    {
        var path = UnixSocketPath.Resolve(settings.Unix);
        UnixSocketPath.RemoveStale(path);
        var socket = Listen(new UnixDomainSocketEndPoint(path), settings.Backlog, "Unix");
        _unixPath = path;
        var endpoint = new EchoEndpoint(SessionKind.Unix, settings.Unix.Telnet, socket.LocalEndPoint!);
        _listeners.Add((socket, endpoint));
        streams.Add(endpoint);
    }

    private static Socket Listen(EndPoint endPoint, int backlog, string what)
    {
        var socket = endPoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint is IPEndPoint ip && ip.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(endPoint);
            socket.Listen(backlog);
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            var setting = endPoint is UnixDomainSocketEndPoint ? "Listener:Unix:Path" : "Listener:Port";
            throw new StartupException(ex.SocketErrorCode == SocketError.AddressAlreadyInUse
                ? $"{setting}: {what} {endPoint} is already in use"
                : $"{setting}: cannot listen on {what} {endPoint}: {ex.Message}", ex);
        }
    }

    private void CloseListeners()
    {
        foreach (var (socket, _) in _listeners)
        {
            socket.Dispose();
        }
    }

    /// <summary>
    /// Accepts until stopped. When the process is out of descriptors (EMFILE, ENFILE) or kernel memory, accept fails
    /// at once for as long as that lasts: the loop backs off (10 ms doubling to 250 ms) instead of spinning, so the
    /// sessions already open keep being served, and accepting resumes within a quarter second of a descriptor coming free.
    /// </summary>
    private async Task AcceptLoopAsync(Socket listener, EchoEndpoint endpoint, CancellationToken stopping)
    {
        await Task.Yield();
        var backoff = TimeSpan.Zero;
        while (!stopping.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                (var resumed, var accepting) = AcceptGate();
                if (resumed is not null)
                {
                    await resumed.WaitAsync(stopping);
                    continue;
                }

                using var either = CancellationTokenSource.CreateLinkedTokenSource(stopping, accepting);
                accepted = await listener.AcceptAsync(either.Token);
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
                continue; // paused: a cancelled accept takes nothing off the kernel's queue
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex) when (IsExhaustion(ex.SocketErrorCode))
            {
                backoff = backoff == TimeSpan.Zero ? TimeSpan.FromMilliseconds(10) : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromMilliseconds(250).Ticks));
                budget.NoteExhausted(endpoint.Kind, ex.SocketErrorCode);
                try
                {
                    await Task.Delay(backoff, time, stopping);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }
            catch (SocketException ex)
            {
                LogAcceptFailed(endpoint.Address, ex.SocketErrorCode); // a client reset while queued: take the next
                continue;
            }

            backoff = TimeSpan.Zero;
            Serve(accepted, endpoint);
        }
    }

    private (Task? Resumed, CancellationToken Accepting) AcceptGate()
    {
        lock (_pauseLock)
        {
            return (_resumed?.Task, _accepting.Token);
        }
    }

    private static bool IsExhaustion(SocketError error) =>
        error is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable;

    private void Serve(Socket accepted, EchoEndpoint endpoint)
    {
        if (endpoint.Kind != SessionKind.Unix)
        {
            accepted.NoDelay = true;
        }

        ConnectionContext connection;
        try
        {
            connection = _transport!.Create(accepted);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            accepted.Dispose(); // reset before the transport took it
            return;
        }

        // Registered before it runs, so the entry cannot outlive the connection.
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _connections[connection] = done.Task;
        _ = RunAsync(connection, endpoint, done);
    }

    private async Task RunAsync(ConnectionContext connection, EchoEndpoint endpoint, TaskCompletionSource done)
    {
        await Task.Yield();
        try
        {
            await handler.HandleAsync(connection, endpoint, _stopping.Token);
        }
        finally
        {
            await connection.DisposeAsync();
            _connections.TryRemove(connection, out _);
            done.TrySetResult();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Echo listener ready: {Endpoints}")]
    private partial void LogListening(string endpoints);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Accept on {Endpoint} failed: {Error}")]
    private partial void LogAcceptFailed(string endpoint, SocketError error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown timeout: aborting {Count} echo connections still open")]
    private partial void LogAborting(int count);
}
