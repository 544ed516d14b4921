using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;

namespace EchoBridge.Tests.Infrastructure;

/// <summary>
/// A TLS bridge target on loopback port 0: an <see cref="SslStream"/> server with a certificate the test made. It
/// accepts and handshakes in the background (a client that rejects the certificate needs a server that answers its
/// hello), records the SNI of every handshake, and hands out the connections that completed one.
/// </summary>
public sealed class TlsTarget : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly X509Certificate2 _certificate;
    private readonly Channel<SslStream> _authenticated = Channel.CreateUnbounded<SslStream>();
    private readonly ConcurrentQueue<string> _serverNames = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;

    public TlsTarget(X509Certificate2 certificate, string name = "lab")
    {
        Name = name;
        _certificate = certificate;
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen();
        _accepting = AcceptAsync();
    }

    /// <summary>The target's name on the allow-list.</summary>
    public string Name { get; }

    /// <summary>The port it listens on.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    /// <summary>The SNI each client hello carried ("" for none), in order.</summary>
    public IReadOnlyCollection<string> ServerNames => _serverNames;

    /// <summary>The <c>Bridge:Targets</c> settings that name it as a TLS target at <paramref name="host"/>.</summary>
    public Dictionary<string, string?> Settings(string host = "localhost", bool allowUntrusted = false) => new()
    {
        [$"Bridge:Targets:{Name}:Host"] = host,
        [$"Bridge:Targets:{Name}:Port"] = Port.ToString(CultureInfo.InvariantCulture),
        [$"Bridge:Targets:{Name}:Tls"] = "true",
        [$"Bridge:Targets:{Name}:AllowUntrustedCertificate"] = allowUntrusted ? "true" : "false",
    };

    /// <summary>The next connection whose handshake completed.</summary>
    public Task<SslStream> NextAsync() => _authenticated.Reader.ReadAsync().AsTask().Within();

    /// <summary>Reads exactly <paramref name="count"/> bytes from <paramref name="stream"/>.</summary>
    public static async Task<byte[]> ReadExactlyAsync(SslStream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer).AsTask().Within();
        return buffer;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stopping.Cancel();
        _listener.Dispose();
        _accepting.Wait(Bounded.Step);
        while (_authenticated.Reader.TryRead(out var stream))
        {
            stream.Dispose();
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        var handshakes = new List<Task>();
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptAsync(_stopping.Token);
                handshakes.Add(HandshakeAsync(socket));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }

        await Task.WhenAll(handshakes);
    }

    private async Task HandshakeAsync(Socket socket)
    {
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: true));
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateSelectionCallback = (_, serverName) =>
            {
                _serverNames.Enqueue(serverName ?? "");
                return _certificate;
            },
        };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(Bounded.Step);
            await stream.AuthenticateAsServerAsync(options, timeout.Token);
            await _authenticated.Writer.WriteAsync(stream);
        }
        catch (Exception ex) when (ex is System.Security.Authentication.AuthenticationException or IOException or OperationCanceledException)
        {
            // The bridge rejected our certificate (or hung up): what the refusal tests want.
            await stream.DisposeAsync();
        }
    }
}

/// <summary>Certificates a test makes: a CA, leaves it issues, and self-signed ones, for localhost and 127.0.0.1.</summary>
public static class TestCertificates
{
    /// <summary>A self-signed certificate for localhost and 127.0.0.1.</summary>
    public static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = LeafRequest(key);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
    }

    /// <summary>A certificate authority that may issue certificates.</summary>
    public static X509Certificate2 Authority()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=EchoBridge Test CA", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    /// <summary>A server certificate for localhost (DNS name only) issued by <paramref name="authority"/>.</summary>
    public static X509Certificate2 IssuedBy(X509Certificate2 authority)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // server auth
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        using var issued = request.Create(authority, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7),
            RandomNumberGenerator.GetBytes(8));
        return issued.CopyWithPrivateKey(key);
    }

    private static CertificateRequest LeafRequest(RSA key)
    {
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        return request;
    }
}
