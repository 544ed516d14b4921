using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EchoBridge.Contracts;
using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Listener;

/// <summary>The echo behind a load balancer (PROXY protocol) and over TLS, against the real listener.</summary>
public sealed class ProxyAndTlsEchoTests
{
    private static Task<TestHost> StartWithProxyProtocolAsync() =>
        TestHost.StartAsync(new Dictionary<string, string?> { ["Listener:ProxyProtocol"] = "true", ["Listener:Tls:HandshakeTimeoutSeconds"] = "2" });

    [Fact]
    public async Task A_v1_header_split_across_writes_names_the_real_client_and_what_follows_is_echoed()
    {
        await using var host = await StartWithProxyProtocolAsync();
        using var client = await EchoClient.ConnectAsync(host.Tcp);

        await client.SendAsync("PROXY TCP4 203.0.113.7 192.0.2.1 5");
        await client.SendAsync("6324 9999\r\nho");
        await client.SendAsync("la");

        Assert.Equal("hola"u8.ToArray(), await client.ReceiveExactlyAsync(4));
        Assert.Equal("203.0.113.7:56324", Assert.Single(host.Registry.Sessions).Remote);
    }

    [Fact]
    public async Task A_v2_header_with_TLVs_names_the_real_client()
    {
        await using var host = await StartWithProxyProtocolAsync();
        using var client = await EchoClient.ConnectAsync(host.Tcp);
        var tlvs = new byte[40];
        tlvs[0] = 0x04;
        tlvs[2] = 37;

        await client.SendAsync(ProxyProtocolTests.V2Tcp4("198.51.100.9", 40000, "192.0.2.1", 9999, tlvs).Concat("hi"u8.ToArray()).ToArray());

        Assert.Equal("hi"u8.ToArray(), await client.ReceiveExactlyAsync(2));
        Assert.Equal("198.51.100.9:40000", Assert.Single(host.Registry.Sessions).Remote);
    }

    [Theory]
    [InlineData("hola\r\n")]
    [InlineData("")]
    public async Task A_connection_without_a_valid_header_is_closed_and_counted(string sent)
    {
        await using var host = await StartWithProxyProtocolAsync();
        using var client = await EchoClient.ConnectAsync(host.Tcp);
        if (sent.Length > 0)
        {
            await client.SendAsync(sent);
        }

        Assert.Empty(await client.ReceiveToEndAsync()); // closed without a word (missing: after the handshake timeout)
        Assert.Contains(host.Registry.RefusedByReason, pair => pair.Key == "no valid PROXY protocol header");
        Assert.Empty(host.Registry.Sessions);
    }

    [Fact]
    public async Task The_TLS_echo_answers_SslStream_with_a_PEM_certificate_and_shows_as_a_TLS_session()
    {
        using var files = TestCertificate.Create();
        await using var host = await TestHost.StartAsync(TlsEchoSettings(files));
        var endPoint = host.Endpoints.Tls[0];
        await using var tls = await ConnectTlsAsync(endPoint);

        await tls.WriteAsync("hola\r\n"u8.ToArray()).AsTask().Within();
        var buffer = new byte[6];
        await tls.ReadExactlyAsync(buffer).AsTask().Within();

        Assert.Equal("hola\r\n"u8.ToArray(), buffer);
        Assert.Equal(SessionKind.Tls, Assert.Single(host.Registry.Sessions).Kind);
        Assert.Contains(host.Endpoints.Describe(), e => e.Protocol == "tls" && e.Address == endPoint.ToString());
    }

    [Fact]
    public async Task The_TLS_echo_answers_openssl_s_client_with_Kestrels_default_PFX_certificate()
    {
        using var files = TestCertificate.Create();
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Listener:Tls:Port"] = "0",
            ["Kestrel:Certificates:Default:Path"] = files.PfxPath,
            ["Kestrel:Certificates:Default:Password"] = TestCertificate.Password,
        });
        var port = host.Endpoints.Tls[0].Port;

        var info = new ProcessStartInfo("openssl", ["s_client", "-quiet", "-connect", $"127.0.0.1:{port}"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var openssl = Process.Start(info)!;
        try
        {
            await openssl.StandardInput.WriteAsync("hola por TLS\nquit\n");
            await openssl.StandardInput.FlushAsync();
            var output = await openssl.StandardOutput.ReadToEndAsync().Within();

            Assert.Contains("hola por TLS", output, StringComparison.Ordinal);
            Assert.Contains("Goodbye.", output, StringComparison.Ordinal);
        }
        finally
        {
            if (!openssl.HasExited)
            {
                openssl.Kill();
            }
        }
    }

    [Fact]
    public async Task A_failed_handshake_is_counted_and_the_TLS_echo_keeps_serving()
    {
        using var files = TestCertificate.Create();
        await using var host = await TestHost.StartAsync(TlsEchoSettings(files));
        var endPoint = host.Endpoints.Tls[0];
        using (var plain = await EchoClient.ConnectAsync(endPoint))
        {
            await plain.SendAsync("GET / HTTP/1.1\r\n\r\n");
            await plain.ReceiveToEndAsync();
        }

        await Bounded.UntilAsync(() => host.Registry.RefusedByReason.Any(p => p.Key == "TLS handshake failed"), "the failed handshake is counted");
        await using var tls = await ConnectTlsAsync(endPoint);
        await tls.WriteAsync("ok"u8.ToArray()).AsTask().Within();
        var buffer = new byte[2];
        await tls.ReadExactlyAsync(buffer).AsTask().Within();
        Assert.Equal("ok"u8.ToArray(), buffer);
    }

    [Fact]
    public async Task Connections_that_never_finish_their_handshake_count_against_the_connection_cap()
    {
        using var files = TestCertificate.Create();
        await using var host = await TestHost.StartAsync(TlsEchoSettings(files, ("Listener:MaxConnections", "3"), ("Listener:Tls:HandshakeTimeoutSeconds", "30")));
        var endPoint = host.Endpoints.Tls[0];
        var silent = new List<EchoClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                silent.Add(await EchoClient.ConnectAsync(endPoint)); // connected, never says hello
            }

            // The fourth is closed at once, not held for the handshake timeout.
            using var fourth = await EchoClient.ConnectAsync(endPoint);
            await fourth.ReceiveToEndAsync();
            Assert.Contains(host.Registry.RefusedByReason, p => p.Key == "connection limit reached");
        }
        finally
        {
            silent.ForEach(c => c.Dispose());
        }

        // Once they leave, a real TLS client is served.
        await Bounded.UntilAsync(() => TryTlsEcho(endPoint), "a TLS client is served again");
    }

    private static Dictionary<string, string?> TlsEchoSettings(TestCertificate files, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Listener:Tls:Port"] = "0",
            ["Listener:Tls:Certificate:Path"] = files.PemPath,
            ["Listener:Tls:Certificate:KeyPath"] = files.KeyPath,
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    // A TLS client that trusts the test's self-signed certificate; disposing it closes the socket.
    private static async Task<SslStream> ConnectTlsAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint).Within();
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("localhost").Within();
        return tls;
    }

    private static bool TryTlsEcho(IPEndPoint endPoint)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 2000 };
            socket.Connect(endPoint);
            using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), false, (_, _, _, _) => true);
            tls.AuthenticateAsClient("localhost");
            tls.Write("ok"u8);
            var buffer = new byte[2];
            tls.ReadExactly(buffer);
            return buffer.AsSpan().SequenceEqual("ok"u8);
        }
        catch (Exception ex) when (ex is IOException or SocketException or System.Security.Authentication.AuthenticationException)
        {
            return false;
        }
    }

    [Theory]
    [InlineData("missing-file")]
    [InlineData("wrong-password")]
    [InlineData("no-certificate")]
    public async Task A_bad_certificate_setting_fails_the_start_naming_it(string problem)
    {
        using var files = TestCertificate.Create();
        var settings = new Dictionary<string, string?> { ["Listener:Tls:Port"] = "0" };
        var expected = problem switch
        {
            "missing-file" => "Listener:Tls:Certificate:Path",
            "wrong-password" => "Kestrel:Certificates:Default",
            _ => "Listener:Tls:Port is set but there is no certificate",
        };
        if (problem == "missing-file")
        {
            settings["Listener:Tls:Certificate:Path"] = files.PemPath + ".gone";
        }
        else if (problem == "wrong-password")
        {
            settings["Kestrel:Certificates:Default:Path"] = files.PfxPath;
            settings["Kestrel:Certificates:Default:Password"] = "not it";
        }

        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestHost.StartAsync(settings));

        Assert.Contains(expected, EchoBridge.Hosting.StartupGuard.Explain(error), StringComparison.Ordinal);
    }
}

/// <summary>A self-signed certificate for localhost, as PEM (certificate + key) and PFX files in a temporary folder.</summary>
internal sealed class TestCertificate : IDisposable
{
    public const string Password = "s3cret-pfx";

    private TestCertificate(string folder) => Folder = folder;

    public string Folder { get; }
    public string PemPath => Path.Combine(Folder, "cert.pem");
    public string KeyPath => Path.Combine(Folder, "key.pem");
    public string PfxPath => Path.Combine(Folder, "cert.pfx");

    public static TestCertificate Create()
    {
        var files = new TestCertificate(Directory.CreateTempSubdirectory("eb-cert-").FullName);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        File.WriteAllText(files.PemPath, certificate.ExportCertificatePem());
        File.WriteAllText(files.KeyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllBytes(files.PfxPath, certificate.Export(X509ContentType.Pkcs12, Password));
        return files;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
