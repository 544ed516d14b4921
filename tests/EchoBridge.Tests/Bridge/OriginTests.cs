using System.Net;
using System.Net.Http.Headers;
using EchoBridge.Contracts;
using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Bridge;

public sealed class OriginTests
{
    private static async Task<HttpStatusCode> NegotiateAsync(TestHost host, string? origin)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, host.Url(BridgeHubRoute.Path + "/negotiate?negotiateVersion=1"));
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await http.SendAsync(request).Within();
        return response.StatusCode;
    }

    [Fact]
    public async Task A_cross_site_origin_gets_403_on_negotiate()
    {
        await using var host = await TestHost.StartAsync();

        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync(host, "https://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync(host, "null"));
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync(host, $"http://127.0.0.1:{host.Http.Port + 1}"));
    }

    [Fact]
    public async Task The_same_origin_and_requests_without_an_origin_are_allowed()
    {
        await using var host = await TestHost.StartAsync();

        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(host, $"http://127.0.0.1:{host.Http.Port}"));
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(host, null));
    }

    [Fact]
    public async Task An_allow_listed_origin_is_allowed()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Bridge:AllowedOrigins:0"] = "https://dash.example.com",
        });

        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(host, "https://dash.example.com"));
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync(host, "https://dash.example.com.evil.example"));
    }

    [Fact]
    public async Task A_cross_site_WebSocket_is_refused_before_the_hub_sees_it()
    {
        await using var host = await TestHost.StartAsync();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => BridgeClient.ConnectAsync(host, configure: options =>
        {
            options.Headers["Origin"] = "https://evil.example";
            options.SkipNegotiation = true;
            options.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
        }));

        Assert.Contains("403", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, host.Registry.GetTotals().TotalSessions);
    }

    [Fact]
    public async Task An_origin_is_compared_with_the_allowed_hosts_never_with_the_request_Host()
    {
        await using var host = await TestHost.StartAsync();
        var port = host.Http.Port;

        // Loopback names are the hosts a loopback server answers to: any of them, on the dashboard's own port.
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(host, $"http://localhost:{port}"));
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(host, $"http://[::1]:{port}"));
        // A request whose Host matches its Origin proves nothing (a rebinding page sends both): still refused.
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, host.Url(BridgeHubRoute.Path + "/negotiate?negotiateVersion=1"));
        request.Headers.Add("Origin", $"http://localhost:{port + 1}");
        request.Headers.Host = $"localhost:{port + 1}";
        using var response = await http.SendAsync(request).Within();
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task With_AllowedHosts_set_an_origin_of_those_hosts_is_allowed()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["AllowedHosts"] = "dash.example.com",
            ["Kestrel:Endpoints:Http:Url"] = "http://0.0.0.0:0",
            ["EchoBridge:OpenAccess"] = "true",
        });

        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(host, "https://dash.example.com")); // a TLS proxy in front
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync(host, "https://evil.example"));
    }

    [Fact]
    public async Task Other_paths_do_not_check_the_origin()
    {
        await using var host = await TestHost.StartAsync();
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Add("Origin", "https://evil.example");
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));

        using var response = await http.GetAsync(host.Url("/healthz")).Within();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
