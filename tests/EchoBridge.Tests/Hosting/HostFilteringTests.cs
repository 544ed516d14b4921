using System.Net;
using System.Net.Sockets;
using System.Text;
using EchoBridge.Contracts;
using EchoBridge.Listener;
using EchoBridge.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EchoBridge.Tests.Hosting;

/// <summary>DNS rebinding: a request whose Host is not one the server answers to is refused before any endpoint runs.</summary>
public sealed class HostFilteringTests
{
    private static async Task<HttpStatusCode> SendAsync(TestHost host, HttpMethod method, string path, string hostHeader)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(method, host.Url(path));
        request.Headers.Host = hostHeader;
        using var response = await http.SendAsync(request).Within();
        return response.StatusCode;
    }

    [Theory]
    [InlineData("GET", "/")]
    [InlineData("POST", "/hubs/bridge/negotiate?negotiateVersion=1")]
    [InlineData("GET", "/metrics")]
    [InlineData("GET", "/healthz")]
    public async Task A_foreign_Host_on_a_loopback_server_gets_400(string method, string path)
    {
        await using var host = await TestHost.StartAsync();

        Assert.Equal(HttpStatusCode.BadRequest, await SendAsync(host, new HttpMethod(method), path, "evil.example"));
        Assert.Equal(HttpStatusCode.BadRequest, await SendAsync(host, new HttpMethod(method), path, $"evil.example:{host.Http.Port}"));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    public async Task The_loopback_names_with_any_port_are_answered(string name)
    {
        await using var host = await TestHost.StartAsync();

        Assert.Equal(HttpStatusCode.OK, await SendAsync(host, HttpMethod.Get, "/healthz", $"{name}:{host.Http.Port}"));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(host, HttpMethod.Post, "/hubs/bridge/negotiate?negotiateVersion=1", name));
    }

    [Fact]
    public async Task Configured_AllowedHosts_are_answered_and_nothing_else()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["AllowedHosts"] = "dash.example.com;*.lab.example",
            ["Kestrel:Endpoints:Http:Url"] = "http://0.0.0.0:0",
            ["EchoBridge:OpenAccess"] = "true",
        });

        Assert.Equal(HttpStatusCode.OK, await SendAsync(host, HttpMethod.Get, "/healthz", "dash.example.com"));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(host, HttpMethod.Get, "/healthz", "a.lab.example:8080"));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(host, HttpMethod.Get, "/healthz", "127.0.0.1")); // the health check's
        Assert.Equal(HttpStatusCode.BadRequest, await SendAsync(host, HttpMethod.Get, "/", "evil.example"));
    }

    [Fact]
    public async Task A_cross_site_WebSocket_with_a_rebound_Host_is_refused()
    {
        await using var host = await TestHost.StartAsync();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, host.Http.Port)).Within();

        // What a browser sends for a page of evil.example whose name now points at 127.0.0.1.
        var handshake = $"GET {BridgeHubRoute.Path} HTTP/1.1\r\nHost: evil.example:{host.Http.Port}\r\nOrigin: http://evil.example:{host.Http.Port}\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(handshake)).Within();
        var buffer = new byte[512];
        var read = await socket.ReceiveAsync(buffer).Within();

        Assert.StartsWith("HTTP/1.1 400", Encoding.ASCII.GetString(buffer, 0, read), StringComparison.Ordinal);
        Assert.Equal(0, host.Registry.GetTotals().TotalSessions);
    }

    [Fact]
    public async Task Requests_that_arrive_before_the_binding_is_known_are_refused()
    {
        var early = new EarlyRequest();
        await using var host = await TestHost.StartAsync(customize: builder =>
        {
            builder.Services.AddHostedService(provider =>
            {
                early.Services = provider;
                return early;
            });
        });

        Assert.Equal(HttpStatusCode.BadRequest, early.Status);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(host, HttpMethod.Get, "/healthz", "127.0.0.1"));
    }

    /// <summary>
    /// Asks the server for <c>/healthz</c> as soon as it listens: registered before the product's own services, its
    /// StartedAsync runs before the binding is published.
    /// </summary>
    private sealed class EarlyRequest : IHostedLifecycleService
    {
        public IServiceProvider Services { get; set; } = null!;

        public HttpStatusCode? Status { get; private set; }

        public async Task StartedAsync(CancellationToken cancellationToken)
        {
            var echoPorts = Services.GetRequiredService<ListenerEndpoints>().Tcp.Select(e => e.Port).ToHashSet();
            var http = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
                .Where(a => !a.Contains("unix:", StringComparison.Ordinal)).Select(a => new Uri(a)).First(u => !echoPorts.Contains(u.Port));
            using var client = new HttpClient();
            using var response = await client.GetAsync(new Uri(http, "/healthz"), cancellationToken).Within();
            Status = response.StatusCode;
        }

        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
