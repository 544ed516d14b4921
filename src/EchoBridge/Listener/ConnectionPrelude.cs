using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using EchoBridge.Sessions;
using Microsoft.AspNetCore.Connections;

namespace EchoBridge.Listener;

/// <summary>
/// What happens on a connection before the echo: the PROXY protocol header (the real client behind a load balancer)
/// and the TLS handshake, each bounded by the endpoint's handshake timeout. The echo then runs on <see cref="Transport"/>,
/// whatever was in front of it. A client that fails either is refused (counted, logged at Debug) and closed.
/// </summary>
internal sealed partial class ConnectionPrelude : IAsyncDisposable
{
    private readonly SslStream? _tls;

    private ConnectionPrelude(string remote, IPAddress? address, IDuplexPipe transport, SslStream? tls)
    {
        Remote = remote;
        Address = address;
        Transport = transport;
        _tls = tls;
    }

    /// <summary>The client as people see it: the PROXY header's source when there was one.</summary>
    public string Remote { get; }

    /// <summary>The client's IP address (what the per-address cap counts), null for a Unix client.</summary>
    public IPAddress? Address { get; }

    /// <summary>The bytes of the client: the connection's own pipes, or TLS's over them.</summary>
    public IDuplexPipe Transport { get; }

    /// <summary>Runs the prelude; null when the client was refused (the caller closes the connection).</summary>
    public static async Task<ConnectionPrelude?> RunAsync(ConnectionContext connection, EchoEndpoint endpoint,
        SessionRegistry registry, ILogger logger)
    {
        var remote = EchoConnectionHandler.DescribeRemote(connection);
        var address = (connection.RemoteEndPoint as IPEndPoint)?.Address is { } ip && ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4()
            : (connection.RemoteEndPoint as IPEndPoint)?.Address;
        using var timeout = new CancellationTokenSource(endpoint.HandshakeTimeout);
        if (endpoint.ProxyProtocol)
        {
            var (header, error) = await ReadProxyHeaderAsync(connection.Transport.Input, timeout.Token);
            if (header is null)
            {
                registry.Refuse(endpoint.Kind, remote, "no valid PROXY protocol header");
                LogProxyRefused(logger, remote, error!);
                return null;
            }

            if (header.Source is { } source)
            {
                address = source.Address.IsIPv4MappedToIPv6 ? source.Address.MapToIPv4() : source.Address;
                remote = new IPEndPoint(address, source.Port).ToString();
            }
        }

        if (endpoint.Tls is not { } tls)
        {
            return new ConnectionPrelude(remote, address, connection.Transport, null);
        }

        var ssl = new SslStream(new DuplexPipeStream(connection.Transport), leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsServerAsync(tls, timeout.Token);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException)
        {
            await ssl.DisposeAsync();
            registry.Refuse(endpoint.Kind, remote, "TLS handshake failed");
            LogHandshakeFailed(logger, remote, ex.GetType().Name);
            return null;
        }

        var pipe = new StreamPipe(PipeReader.Create(ssl, new StreamPipeReaderOptions(leaveOpen: true)),
            PipeWriter.Create(ssl, new StreamPipeWriterOptions(leaveOpen: true)));
        return new ConnectionPrelude(remote, address, pipe, ssl);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_tls is not null)
        {
            await Transport.Input.CompleteAsync();
            await Transport.Output.CompleteAsync();
            await _tls.DisposeAsync();
        }
    }

    private static async Task<(ProxyHeader? Header, string? Error)> ReadProxyHeaderAsync(PipeReader input, CancellationToken timeout)
    {
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(timeout);
                var buffer = read.Buffer;
                switch (ProxyProtocol.TryRead(buffer, out var consumed, out var header, out var error))
                {
                    case ProxyParse.Parsed:
                        input.AdvanceTo(consumed); // what follows the header is the client's own, echoed as usual
                        return (header, null);
                    case ProxyParse.Invalid:
                        input.AdvanceTo(buffer.Start);
                        return (null, error);
                }

                if (read.IsCompleted)
                {
                    input.AdvanceTo(buffer.Start);
                    return (null, "closed before its PROXY header was complete");
                }

                input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (OperationCanceledException)
        {
            return (null, "no PROXY header in time");
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Closed a client from {Remote}: {Why}")]
    private static partial void LogProxyRefused(ILogger logger, string remote, string why);

    [LoggerMessage(Level = LogLevel.Debug, Message = "TLS handshake from {Remote} failed ({Error})")]
    private static partial void LogHandshakeFailed(ILogger logger, string remote, string error);

    private sealed record StreamPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}

/// <summary>A connection's pipes as one <see cref="Stream"/>, for <see cref="SslStream"/> to run over.</summary>
internal sealed class DuplexPipeStream(IDuplexPipe pipe) : Stream
{
    private readonly Stream _input = pipe.Input.AsStream(leaveOpen: true);
    private readonly Stream _output = pipe.Output.AsStream(leaveOpen: true);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _input.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _input.ReadAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => _output.Write(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _output.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _output.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Flush() => _output.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _output.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _input.Dispose();
            _output.Dispose();
        }

        base.Dispose(disposing);
    }
}
