using System.Net;
using System.Net.WebSockets;
using EchoBridge.Bridge;
using EchoBridge.Hosting;
using EchoBridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EchoBridge.Tests.Hosting;

/// <summary>
/// Behind a reverse proxy: <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c> are believed from the proxies in
/// <c>EchoBridge:ForwardedHeaders</c> only. The bridge's per-address cap (1 here) is what shows which address the
/// server took for the client: two clients with different addresses are both admitted, two with the same are not.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private const string PerAddress = "Too many connections from your address";

    private static Task<TestHost> StartAsync(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?> { ["Bridge:MaxClientConnectionsPerAddress"] = "1" };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return TestHost.StartAsync(all);
    }

    private static async Task<BridgeClient> HubFromAsync(TestHost host, string forwardedFor)
    {
        var clients = host.Services.GetRequiredService<ClientConnections>();
        var before = clients.Count;
        var client = await BridgeClient.ConnectAsync(host, configure: options => options.Headers["X-Forwarded-For"] = forwardedFor);
        // The server counts a hub connection in OnConnectedAsync, just after the handshake the client's start waits
        // for: a next connection tried before that would race the cap instead of meeting it.
        await Bounded.UntilAsync(() => clients.Count > before, "the server counted the hub connection");
        return client;
    }

    private static async Task<ClientWebSocket> WebSocketFromAsync(TestHost host, string forwardedFor)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("X-Forwarded-For", forwardedFor);
        await socket.ConnectAsync(WebSocketClients.Url(host, "/websockify/echo"), CancellationToken.None).Within();
        return socket;
    }

    [Theory]
    [InlineData("EchoBridge:ForwardedHeaders:KnownProxies:0", "127.0.0.1")]
    [InlineData("EchoBridge:ForwardedHeaders:KnownNetworks:0", "127.0.0.0/8")]
    public async Task A_trusted_proxys_client_address_is_the_hub_connections_address(string key, string value)
    {
        await using var host = await StartAsync((key, value));
        await using var first = await HubFromAsync(host, "203.0.113.7");
        await using var second = await HubFromAsync(host, "203.0.113.8");

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => HubFromAsync(host, "203.0.113.7"));

        Assert.Contains(PerAddress, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_IPv4_proxy_is_trusted_on_a_dual_mode_endpoint_as_ASPNETCORE_HTTP_PORTS_binds_it()
    {
        // http://*:port (the container's ASPNETCORE_HTTP_PORTS) binds [::] dual-mode: the proxy arrives as ::ffff:127.0.0.1.
        await using var host = await StartAsync(
            ("Kestrel:Endpoints:Http:Url", "http://[::]:0"),
            ("EchoBridge:OpenAccess", "true"),
            ("EchoBridge:ForwardedHeaders:KnownProxies:0", "127.0.0.1"));
        await using var first = await HubFromAsync(host, "203.0.113.7");
        await using var second = await HubFromAsync(host, "203.0.113.8");

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => HubFromAsync(host, "203.0.113.7"));

        Assert.Contains(PerAddress, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trusted_proxys_client_address_is_the_WebSocket_clients_address()
    {
        await using var host = await StartAsync(("EchoBridge:ForwardedHeaders:KnownProxies:0", "127.0.0.1"));
        using var first = await WebSocketFromAsync(host, "203.0.113.7");
        using var second = await WebSocketFromAsync(host, "2001:db8::7");

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => WebSocketFromAsync(host, "203.0.113.7"));

        Assert.Contains("503", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dashboard_shows_a_bridged_echo_sessions_client_as_the_trusted_proxy_names_it()
    {
        await using var host = await StartAsync(("EchoBridge:ForwardedHeaders:KnownProxies:0", "127.0.0.1"));
        await using var hub = await HubFromAsync(host, "203.0.113.7");
        var opened = await hub.OpenAsync();
        using var webSocket = await WebSocketFromAsync(host, "2001:db8::7");

        await Bounded.UntilAsync(() => host.Registry.Sessions.Count(s => s.BridgeSessionId is not null) == 2, "both bridge sessions reached the listener");
        var summaries = host.Registry.Sessions.Select(s => s.ToSummary()).ToList();

        Assert.Equal("203.0.113.7", summaries.Single(s => s.BridgeSessionId == opened.SessionId).BridgeClient);
        Assert.Equal("2001:db8::7", summaries.Single(s => s.BridgeVia == "websocket").BridgeClient);
    }

    [Theory]
    [InlineData(null, null)] // nothing configured: nobody is trusted
    [InlineData("EchoBridge:ForwardedHeaders:KnownProxies:0", "10.9.9.9")] // another proxy is
    [InlineData("EchoBridge:ForwardedHeaders:KnownNetworks:0", "10.0.0.0/8")]
    [InlineData("FORWARDEDHEADERS_ENABLED", "true")] // ASP.NET Core's own switch (which trusts everyone) trusts nobody more
    public async Task An_untrusted_peers_forwarded_address_is_ignored(string? key, string? value)
    {
        await using var host = key is null ? await StartAsync() : await StartAsync((key, value!));
        await using var first = await HubFromAsync(host, "203.0.113.7");

        // Another forwarded address, but the same peer (127.0.0.1): over the cap of 1.
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => HubFromAsync(host, "203.0.113.8"));

        Assert.Contains(PerAddress, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "203.0.113.7, 198.51.100.1", "198.51.100.1")] // one hop taken: the client is the inner proxy
    [InlineData(2, "203.0.113.7, 198.51.100.1", "203.0.113.7")] // both hops trusted
    [InlineData(2, "203.0.113.7, 198.51.100.99", "198.51.100.99")] // the inner hop is not trusted: it is the client
    public async Task A_chain_of_proxies_is_followed_only_through_trusted_hops_up_to_the_limit(int limit, string chain, string client)
    {
        await using var host = await StartAsync(
            ("EchoBridge:ForwardedHeaders:KnownProxies:0", "127.0.0.1"),
            ("EchoBridge:ForwardedHeaders:KnownProxies:1", "198.51.100.1"),
            ("EchoBridge:ForwardedHeaders:ForwardLimit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await using var first = await HubFromAsync(host, chain);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => HubFromAsync(host, client));

        Assert.Contains(PerAddress, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData(null, false)]
    public async Task Only_a_trusted_proxys_https_makes_the_token_cookie_secure_and_no_proxy_header_stands_for_the_token(string? proxy, bool secure)
    {
        const string Token = "forwarded-test-token";
        var settings = new List<(string, string)> { ("EchoBridge:AccessToken", Token) };
        if (proxy is not null)
        {
            settings.Add(("EchoBridge:ForwardedHeaders:KnownProxies:0", proxy));
        }

        await using var host = await StartAsync([.. settings]);
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false });

        using var withToken = new HttpRequestMessage(HttpMethod.Get, host.Url($"/?access_token={Token}"));
        withToken.Headers.Add("X-Forwarded-Proto", "https");
        withToken.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using var answered = await http.SendAsync(withToken).Within();
        using var withoutToken = new HttpRequestMessage(HttpMethod.Get, host.Url("/"));
        withoutToken.Headers.Add("X-Forwarded-Proto", "https");
        withoutToken.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using var refused = await http.SendAsync(withoutToken).Within();

        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        var cookie = Assert.Single(answered.Headers.GetValues("Set-Cookie"), c => c.StartsWith(AccessToken.CookieName + "=", StringComparison.Ordinal));
        Assert.Equal(secure, cookie.Contains("secure", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode); // a proxy's word is no token
    }

    [Fact]
    public async Task A_forwarded_Host_gets_past_neither_host_filtering_nor_the_origin_check()
    {
        await using var host = await StartAsync(("EchoBridge:ForwardedHeaders:KnownProxies:0", "127.0.0.1"));
        using var http = new HttpClient();

        // Host filtering checks the Host the proxy sent; a forwarded one does not stand in for it.
        using var foreignHost = new HttpRequestMessage(HttpMethod.Get, host.Url("/"));
        foreignHost.Headers.Host = "evil.example";
        foreignHost.Headers.Add("X-Forwarded-Host", $"127.0.0.1:{host.Http.Port}");
        foreignHost.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using var filtered = await http.SendAsync(foreignHost).Within();

        // A rebinding page's origin, with its name forwarded as the Host: still not one of ours.
        using var crossSite = new HttpRequestMessage(HttpMethod.Post, host.Url("/hubs/bridge/negotiate?negotiateVersion=1"));
        crossSite.Headers.Add("Origin", "http://evil.example");
        crossSite.Headers.Add("X-Forwarded-Host", "evil.example");
        crossSite.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using var forbidden = await http.SendAsync(crossSite).Within();

        Assert.Equal(HttpStatusCode.BadRequest, filtered.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task Beyond_loopback_with_any_host_the_origin_is_compared_with_the_Host_the_proxy_sent_not_a_forwarded_one()
    {
        await using var host = await StartAsync(
            ("Kestrel:Endpoints:Http:Url", "http://0.0.0.0:0"),
            ("EchoBridge:OpenAccess", "true"),
            ("EchoBridge:ForwardedHeaders:KnownProxies:0", "127.0.0.1"));
        using var http = new HttpClient();

        using var crossSite = new HttpRequestMessage(HttpMethod.Post, host.Url("/hubs/bridge/negotiate?negotiateVersion=1"));
        crossSite.Headers.Add("Origin", "http://evil.example");
        crossSite.Headers.Add("X-Forwarded-Host", "evil.example");
        using var forbidden = await http.SendAsync(crossSite).Within();
        using var sameSite = new HttpRequestMessage(HttpMethod.Post, host.Url("/hubs/bridge/negotiate?negotiateVersion=1"));
        sameSite.Headers.Add("Origin", $"http://127.0.0.1:{host.Http.Port}");
        sameSite.Headers.Add("X-Forwarded-Host", "evil.example");
        using var allowed = await http.SendAsync(sameSite).Within();

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }
}
