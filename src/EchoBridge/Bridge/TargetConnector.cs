using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace EchoBridge.Bridge;

/// <summary>
/// Connects to an allow-listed target by name: never a host or port from a client. A connect (and a TLS target's
/// handshake with it) is bounded by <c>Bridge:ConnectTimeoutSeconds</c>; every failure is a
/// <see cref="BridgeRefusedException"/> that names the target. The hosted echo behind a load balancer
/// (<c>Listener:ProxyProtocol=true</c>) is sent a PROXY header first.
/// </summary>
public sealed partial class TargetConnector(
    BridgeTargets targets,
    IOptions<BridgeOptions> options,
    TimeProvider time,
    ILogger<TargetConnector> logger)
{
    // A PROXY protocol v2 header with the LOCAL command and no addresses: "the proxy's own connection, not relayed",
    // so the listener keeps the socket's own address (which links the session to the bridge's).
    private static readonly byte[] ProxyV2Local = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x20, 0x00, 0x00, 0x00];

    /// <summary>The target called <paramref name="name"/>; refused when it is not on the allow-list.</summary>
    public BridgeTarget Resolve(string? name) =>
        targets.TryResolve(name, out var target)
            ? target
            : throw new BridgeRefusedException(
                $"Unknown target '{name}'. Known targets: {string.Join(", ", targets.List().Select(t => t.Name))}.",
                BridgeRefusal.UnknownTarget);

    /// <summary>Warns once, at start, of every TLS target that accepts any certificate.</summary>
    public void WarnOfUntrustedTargets()
    {
        foreach (var (name, target) in options.Value.Targets.OrderBy(pair => pair.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (target.Tls && target.AllowUntrustedCertificate)
            {
                LogUntrustedAllowed(name);
            }
        }
    }

    /// <summary>
    /// A connected TCP socket to <paramref name="target"/> (Nagle off), and for a TLS target the authenticated
    /// <see cref="SslStream"/> over it.
    /// </summary>
    public async Task<TargetConnection> ConnectAsync(BridgeTarget target, CancellationToken cancellationToken)
    {
        // An IP target gets a socket of its family; a host name a dual-mode one that can reach either.
        var socket = target.EndPoint.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6
            ? new Socket(target.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.NoDelay = true; // a typed line goes out at once, not after Nagle's wait

        var timeout = TimeSpan.FromSeconds(options.Value.ConnectTimeoutSeconds);
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        try
        {
            await socket.ConnectAsync(target.EndPoint, linked.Token);
            if (target.ExpectsProxyHeader)
            {
                await socket.SendAsync(ProxyV2Local, SocketFlags.None, linked.Token);
            }
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested)
        {
            socket.Dispose();
            LogUnreachable(target.Name, "timeout");
            throw new BridgeRefusedException($"Target '{target.Name}' did not answer within {timeout.TotalSeconds:0.#} s.",
                BridgeRefusal.TargetUnreachable);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            LogUnreachable(target.Name, ex.SocketErrorCode.ToString());
            throw new BridgeRefusedException(ex.SocketErrorCode == SocketError.ConnectionRefused
                ? $"Target '{target.Name}' refused the connection."
                : $"Target '{target.Name}' is unreachable ({ex.SocketErrorCode}).", BridgeRefusal.TargetUnreachable);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return target.TlsHost is { } host
            ? new TargetConnection(socket, await AuthenticateAsync(target, host, socket, timer, timeout, linked.Token))
            : new TargetConnection(socket, null);
    }

    // The handshake shares the connect's timer: Bridge:ConnectTimeoutSeconds bounds connect and handshake together.
    private async Task<SslStream> AuthenticateAsync(BridgeTarget target, string host, Socket socket,
        CancellationTokenSource timer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        string? rejected = null;
        var authentication = new SslClientAuthenticationOptions
        {
            TargetHost = host, // SNI (an IP address is not sent, as RFC 6066 says) and the name the certificate must have
            RemoteCertificateValidationCallback = (_, _, chain, errors) =>
            {
                rejected = errors == SslPolicyErrors.None ? null : Describe(errors, chain, host);
                return rejected is null || target.AllowUntrustedCertificate;
            },
        };
        try
        {
            await stream.AuthenticateAsClientAsync(authentication, cancellationToken);
            return stream;
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested)
        {
            await stream.DisposeAsync();
            LogTlsFailed(target.Name, "no TLS handshake within the connect timeout");
            throw new BridgeRefusedException(
                $"Target '{target.Name}' did not complete the TLS handshake within {timeout.TotalSeconds:0.#} s.", BridgeRefusal.TargetTls);
        }
        catch (AuthenticationException) when (rejected is not null && !target.AllowUntrustedCertificate)
        {
            await stream.DisposeAsync();
            LogTlsFailed(target.Name, $"its certificate is {rejected}");
            throw new BridgeRefusedException($"Target '{target.Name}' presented a TLS certificate that is {rejected}.", BridgeRefusal.TargetTls);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            // Not a TLS server, a protocol or version it does not share, or it hung up mid-handshake.
            await stream.DisposeAsync();
            LogTlsFailed(target.Name, ex.Message);
            throw new BridgeRefusedException($"Target '{target.Name}' failed the TLS handshake.", BridgeRefusal.TargetTls);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    // In words a client can read: "not trusted (UntrustedRoot)", "not issued for 'lab.example'".
    private static string Describe(SslPolicyErrors errors, X509Chain? chain, string host)
    {
        var problems = new List<string>(2);
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            problems.Add("missing");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var why = chain?.ChainStatus.Select(status => status.Status.ToString()).Distinct().ToList() ?? [];
            problems.Add(why.Count > 0 ? $"not trusted ({string.Join(", ", why)})" : "not trusted");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            problems.Add($"not issued for '{host}'");
        }

        return string.Join(" and ", problems);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bridge target {Target} is unreachable: {Why}")]
    private partial void LogUnreachable(string target, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bridge target {Target} failed the TLS handshake: {Why}")]
    private partial void LogTlsFailed(string target, string why);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Bridge target {Target} accepts any TLS certificate (AllowUntrustedCertificate=true): for lab targets only")]
    private partial void LogUntrustedAllowed(string target);
}

/// <summary>
/// A connected target: its socket, and for a TLS target the <see cref="SslStream"/> over it (null for plain TCP, which
/// the pump reads straight from the socket).
/// </summary>
public readonly record struct TargetConnection(Socket Socket, SslStream? Tls);
