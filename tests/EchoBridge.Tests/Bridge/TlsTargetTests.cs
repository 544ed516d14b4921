using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using EchoBridge.Bridge;
using EchoBridge.Contracts;
using EchoBridge.Sessions;
using EchoBridge.Tests.Infrastructure;
using EchoBridge.Tests.Listener;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace EchoBridge.Tests.Bridge;

/// <summary>TLS bridge targets (<c>Bridge:Targets:&lt;name&gt;:Tls</c>) against an SslStream server the test runs.</summary>
public sealed class TlsTargetTests
{
    private static Task<TestHost> StartAsync(IDictionary<string, string?> settings, LogCapture? logs = null) =>
        TestHost.StartAsync(settings, builder =>
        {
            if (logs is not null)
            {
                builder.Services.AddSingleton<ILogEventSink>(logs);
            }
        });

    [Fact]
    public async Task An_untrusted_certificate_is_refused_by_default_via_the_hub_naming_the_target()
    {
        using var target = new TlsTarget(TestCertificates.SelfSigned());
        var logs = new LogCapture();
        await using var host = await StartAsync(target.Settings(), logs);
        await using var client = await BridgeClient.ConnectAsync(host);

        var error = await HubErrors.RefusalOf(() => client.OpenAsync("lab"));

        Assert.Equal("Target 'lab' presented a TLS certificate that is not trusted (UntrustedRoot).", error);
        Assert.Equal(0, host.Services.GetBridgeSessions().Count);
        Assert.Contains(host.Registry.RefusedByReason, pair => pair is { Key: "bridge target TLS failed", Value: 1 });
        var warning = Assert.Single(logs.Events, e => e.Level >= LogEventLevel.Warning
            && e.RenderMessage(CultureInfo.InvariantCulture).Contains("TLS handshake", StringComparison.Ordinal));
        Assert.Equal(LogEventLevel.Warning, warning.Level);
        Assert.Null(warning.Exception);
        Assert.Contains("\"lab\"", warning.RenderMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Events, e => e.Level >= LogEventLevel.Error);
        Assert.DoesNotContain(logs.Events, e => e.Level >= LogEventLevel.Warning && e.MessageTemplate.Text.Contains("AllowUntrusted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_untrusted_certificate_closes_a_websockify_client_with_1011_naming_the_target()
    {
        using var target = new TlsTarget(TestCertificates.SelfSigned());
        await using var host = await StartAsync(target.Settings());
        using var client = await WebSocketClients.ConnectAsync(host, "/websockify/lab");

        var (status, reason, bytes) = await client.ReceiveCloseAsync();

        Assert.Equal(WebSocketCloseStatus.InternalServerError, status);
        Assert.Equal("Target 'lab' presented a TLS certificate that is not trusted (UntrustedRoot).", reason);
        Assert.Equal(0, bytes);
        Assert.Contains(host.Registry.RefusedByReason, pair => pair is { Key: "bridge target TLS failed", Value: 1 });
    }

    [Theory]
    [InlineData("localhost", "localhost")]
    [InlineData("127.0.0.1", "")] // RFC 6066: no SNI for an IP address
    public async Task An_allowed_untrusted_certificate_relays_both_ways_with_the_host_as_SNI(string targetHost, string expectedSni)
    {
        using var target = new TlsTarget(TestCertificates.SelfSigned());
        var logs = new LogCapture();
        await using var host = await StartAsync(target.Settings(targetHost, allowUntrusted: true), logs);
        await using var client = await BridgeClient.ConnectAsync(host);

        var session = await client.OpenAsync("lab");
        await using var frames = client.Receive(session.SessionId);
        await using var server = await target.NextAsync();
        await client.SendAsync(session.SessionId, "hola por TLS");
        Assert.Equal("hola por TLS"u8.ToArray(), await TlsTarget.ReadExactlyAsync(server, 12));
        await server.WriteAsync("y adiós"u8.ToArray()).AsTask().Within();
        Assert.Equal("y adiós", await frames.ReadTextAsync("y adiós"u8.Length));
        await server.ShutdownAsync().Within();
        server.Close();
        var (_, reason) = await frames.ReadToEndAsync();

        Assert.Equal(CloseReason.TargetClosed.Describe(), reason);
        Assert.Equal(expectedSni, Assert.Single(target.ServerNames));
        var warning = Assert.Single(logs.Events, e => e.MessageTemplate.Text.Contains("AllowUntrustedCertificate", StringComparison.Ordinal));
        Assert.Equal(LogEventLevel.Warning, warning.Level);
        Assert.Equal("\"lab\"", warning.Properties["Target"].ToString());
    }

    [Fact]
    public async Task The_listeners_own_TLS_echo_is_a_TLS_target_end_to_end()
    {
        using var files = TestCertificate.Create();
        var tlsPort = FreePort.Tcp(); // the target's port is a setting, so the TLS echo cannot take port 0 here
        await using var host = await StartAsync(new Dictionary<string, string?>
        {
            ["Listener:Tls:Port"] = tlsPort.ToString(CultureInfo.InvariantCulture),
            ["Listener:Tls:Certificate:Path"] = files.PemPath,
            ["Listener:Tls:Certificate:KeyPath"] = files.KeyPath,
            ["Bridge:Targets:tlsecho:Host"] = "localhost",
            ["Bridge:Targets:tlsecho:Port"] = tlsPort.ToString(CultureInfo.InvariantCulture),
            ["Bridge:Targets:tlsecho:Tls"] = "true",
            ["Bridge:Targets:tlsecho:AllowUntrustedCertificate"] = "true",
        });
        await using var client = await BridgeClient.ConnectAsync(host);

        var session = await client.OpenAsync("tlsecho");
        await using var frames = client.Receive(session.SessionId);
        await client.SendAsync(session.SessionId, "hola\r\n");

        Assert.Equal("hola\r\n", await frames.ReadTextAsync(6));
        await Bounded.UntilAsync(() => host.Registry.Sessions.Any(s => s.Kind == SessionKind.Tls), "the echo shows a TLS session");
    }

    [Fact]
    public async Task A_target_that_does_not_speak_TLS_fails_the_handshake_and_is_counted()
    {
        using var target = new RawTarget();
        await using var host = await StartAsync(target.Settings(new Dictionary<string, string?> { ["Bridge:Targets:raw:Tls"] = "true" }));
        await using var client = await BridgeClient.ConnectAsync(host);

        var opening = HubErrors.RefusalOf(() => client.OpenAsync("raw"));
        using (var accepted = await target.AcceptAsync())
        {
            await accepted.SendAsync("SSH-2.0-OpenSSH_9.6\r\n"u8.ToArray(), SocketFlags.None).Within();
            accepted.Shutdown(SocketShutdown.Both);
        }

        Assert.Equal("Target 'raw' failed the TLS handshake.", await opening.Within());
        Assert.Contains(host.Registry.RefusedByReason, pair => pair is { Key: "bridge target TLS failed", Value: 1 });
        Assert.Equal("echo", (await client.OpenAsync()).Target); // the failed attempt used up no session slot
    }

    [Fact]
    public async Task A_handshake_that_never_completes_fails_within_the_connect_timeout()
    {
        using var target = new RawTarget(); // accepts in the kernel, never answers the client hello
        await using var host = await StartAsync(target.Settings(new Dictionary<string, string?>
        {
            ["Bridge:Targets:raw:Tls"] = "true",
            ["Bridge:ConnectTimeoutSeconds"] = "1",
        }));
        await using var client = await BridgeClient.ConnectAsync(host);
        var clock = Stopwatch.StartNew();

        var error = await HubErrors.RefusalOf(() => client.OpenAsync("raw"));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(3));
        Assert.Equal("Target 'raw' did not complete the TLS handshake within 1 s.", error);
    }

    [Fact]
    public async Task A_certificate_from_a_CA_the_system_does_not_trust_is_refused()
    {
        // The control for the SSL_CERT_FILE test below: the same kind of certificate, without its CA in the store.
        using var authority = TestCertificates.Authority();
        using var target = new TlsTarget(TestCertificates.IssuedBy(authority));
        await using var host = await StartAsync(target.Settings());
        await using var client = await BridgeClient.ConnectAsync(host);

        var error = await HubErrors.RefusalOf(() => client.OpenAsync("lab"));

        Assert.StartsWith("Target 'lab' presented a TLS certificate that is not trusted (", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_from_a_CA_in_SSL_CERT_FILE_is_trusted_and_its_name_is_checked()
    {
        // .NET on Linux builds chains with OpenSSL's trust store, which SSL_CERT_FILE replaces: the system trust a
        // server has, made by the test. A child process, because the store is read once per process.
        using var authority = TestCertificates.Authority();
        using var leaf = TestCertificates.IssuedBy(authority); // for localhost only, not 127.0.0.1
        using var target = new TlsTarget(leaf);
        var folder = Directory.CreateTempSubdirectory("eb-ca-").FullName;
        try
        {
            var caFile = Path.Combine(folder, "ca.pem");
            await File.WriteAllTextAsync(caFile, authority.ExportCertificatePem());
            var httpPort = FreePort.Tcp();
            var args = HostProcess.LoopbackArgs(FreePort.Tcp(), httpPort, Path.Combine(folder, "echo.sock"));
            var port = target.Port.ToString(CultureInfo.InvariantCulture);
            args.AddRange([
                "--Bridge:Targets:lab:Host=localhost", $"--Bridge:Targets:lab:Port={port}", "--Bridge:Targets:lab:Tls=true",
                "--Bridge:Targets:byaddress:Host=127.0.0.1", $"--Bridge:Targets:byaddress:Port={port}", "--Bridge:Targets:byaddress:Tls=true",
            ]);
            await using var server = HostProcess.Start(args, new Dictionary<string, string> { ["SSL_CERT_FILE"] = caFile });
            await server.WaitUntilReadyAsync(httpPort);

            using var trusted = new ClientWebSocket();
            await trusted.ConnectAsync(new Uri($"ws://127.0.0.1:{httpPort}/websockify/lab"), CancellationToken.None).Within();
            await using var accepted = await target.NextAsync();
            await trusted.SendAsync("trusted"u8.ToArray(), WebSocketMessageType.Binary, true, CancellationToken.None).Within();
            Assert.Equal("trusted"u8.ToArray(), await TlsTarget.ReadExactlyAsync(accepted, 7));
            await accepted.WriteAsync("ok"u8.ToArray()).AsTask().Within();
            Assert.Equal("ok"u8.ToArray(), await trusted.ReceiveBytesAsync(2));

            using var misnamed = new ClientWebSocket();
            await misnamed.ConnectAsync(new Uri($"ws://127.0.0.1:{httpPort}/websockify/byaddress"), CancellationToken.None).Within();
            var (status, reason, _) = await misnamed.ReceiveCloseAsync();
            Assert.Equal(WebSocketCloseStatus.InternalServerError, status);
            Assert.Equal("Target 'byaddress' presented a TLS certificate that is not issued for '127.0.0.1'.", reason);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
