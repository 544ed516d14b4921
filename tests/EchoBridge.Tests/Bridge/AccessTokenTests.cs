using System.Net;
using System.Net.Http.Headers;
using EchoBridge.Contracts;
using EchoBridge.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace EchoBridge.Tests.Bridge;

public sealed class AccessTokenTests
{
    private const string Token = "s3cret-T0ken-for-tests";

    private static Task<TestHost> StartAsync(LogCapture? logs = null, string token = Token, string level = "Warning") =>
        TestHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["EchoBridge:AccessToken"] = token,
                ["Serilog:MinimumLevel:Default"] = level,
                ["Serilog:MinimumLevel:Override:Microsoft"] = level,
                ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = level,
                ["Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime"] = level,
            },
            builder =>
            {
                if (logs is not null)
                {
                    builder.Services.AddSingleton<ILogEventSink>(logs);
                }
            });

    [Fact]
    public async Task Without_the_token_the_hub_and_the_dashboard_answer_401_but_health_does_not()
    {
        await using var host = await StartAsync();
        using var http = new HttpClient();

        using var negotiate = await http.PostAsync(host.Url(BridgeHubRoute.Path + "/negotiate?negotiateVersion=1"), null).Within();
        using var page = await http.GetAsync(host.Url("/")).Within();
        using var wrong = await http.GetAsync(host.Url("/?access_token=wrong")).Within();
        using var health = await http.GetAsync(host.Url("/healthz")).Within();

        Assert.Equal(HttpStatusCode.Unauthorized, negotiate.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => BridgeClient.ConnectAsync(host));
    }

    [Fact]
    public async Task The_hub_accepts_the_token_as_a_bearer_header()
    {
        await using var host = await StartAsync();

        await using var client = await BridgeClient.ConnectAsync(host, configure: o => o.AccessTokenProvider = () => Task.FromResult<string?>(Token));

        Assert.Equal("echo", (await client.OpenAsync()).Target);
    }

    [Fact]
    public async Task A_dashboard_visit_with_the_token_in_the_query_gets_an_HttpOnly_cookie_that_then_suffices()
    {
        await using var host = await StartAsync();
        using var handler = new HttpClientHandler { UseCookies = true };
        using var http = new HttpClient(handler);

        using var first = await http.GetAsync(host.Url($"/?access_token={Token}")).Within();
        using var second = await http.GetAsync(host.Url("/")).Within();

        Assert.NotEqual(HttpStatusCode.Unauthorized, first.StatusCode);
        // The dashboard page also sets Blazor's antiforgery cookie; the token's own cookie is the one that matters.
        var cookie = Assert.Single(first.Headers.GetValues("Set-Cookie"), c => c.StartsWith("echobridge_token=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(HttpStatusCode.Unauthorized, second.StatusCode);
    }

    [Fact]
    public async Task The_token_in_the_query_string_never_reaches_the_logs_even_at_Verbose()
    {
        var logs = new LogCapture();
        await using (var host = await StartAsync(logs, level: "Verbose"))
        {
            // What SignalR's browser client does: the token rides in the query string of negotiate and the WebSocket.
            await using (var client = await BridgeClient.ConnectAsync(host, query: $"access_token={Token}"))
            {
                var session = await client.OpenAsync();
                await client.SendAsync(session.SessionId, "hello\n");
            }

            await using (var longPolling = await BridgeClient.ConnectAsync(host, query: $"access_token={Token}",
                configure: o => o.Transports = HttpTransportType.LongPolling))
            {
                await longPolling.OpenAsync();
            }

            using var http = new HttpClient();
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            using var _ = await http.GetAsync(host.Url($"/somewhere?access_token={Token}&x=1")).Within();
        }

        var text = logs.AllText();
        Assert.Contains("/hubs/bridge", text, StringComparison.Ordinal); // the requests were logged…
        Assert.Contains(logs.Events, e => e.Level == LogEventLevel.Verbose || e.Level == LogEventLevel.Debug);
        Assert.DoesNotContain(Token, text, StringComparison.Ordinal); // …but never the token
    }

    [Fact]
    public async Task Listening_beyond_loopback_without_a_token_makes_one_up_and_requires_it()
    {
        var logs = new LogCapture();
        await using var host = await TestHost.StartAsync(
            new Dictionary<string, string?> { ["Kestrel:Endpoints:Http:Url"] = "http://0.0.0.0:0" },
            builder => builder.Services.AddSingleton<ILogEventSink>(logs));
        var token = host.Services.GetRequiredService<EchoBridge.Hosting.AccessToken>();
        using var http = new HttpClient();

        using var without = await http.GetAsync(host.Url("/")).Within();
        using var with = await http.GetAsync(host.Url($"/?access_token={token.Value}")).Within();
        await using var client = await BridgeClient.ConnectAsync(host, configure: o => o.AccessTokenProvider = () => Task.FromResult<string?>(token.Value));

        Assert.True(token.Generated);
        Assert.Matches("^[0-9a-f]{48}$", token.Value);
        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
        Assert.Equal("echo", (await client.OpenAsync()).Target);
        Assert.DoesNotContain(logs.Events, e => e.RenderMessage(null).Contains("without an access token", StringComparison.Ordinal));
        Assert.DoesNotContain(token.Value, logs.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listening_beyond_loopback_with_open_access_chosen_logs_a_warning_at_start()
    {
        var logs = new LogCapture();
        await using var host = await TestHost.StartAsync(
            new Dictionary<string, string?> { ["Kestrel:Endpoints:Http:Url"] = "http://0.0.0.0:0", ["EchoBridge:OpenAccess"] = "true" },
            builder => builder.Services.AddSingleton<ILogEventSink>(logs));

        await Bounded.UntilAsync(() => logs.Events.Any(e => e.Level == LogEventLevel.Warning
            && e.RenderMessage(null).Contains("EchoBridge:AccessToken", StringComparison.Ordinal)), "the warning");
        Assert.False(host.Services.GetRequiredService<EchoBridge.Hosting.AccessToken>().Required);
        using var http = new HttpClient();
        using var page = await http.GetAsync(host.Url("/")).Within();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task Listening_on_loopback_only_logs_no_such_warning()
    {
        var logs = new LogCapture();
        await using (var host = await TestHost.StartAsync(customize: builder => builder.Services.AddSingleton<ILogEventSink>(logs)))
        {
            await using var client = await BridgeClient.ConnectAsync(host);
            await client.OpenAsync(); // the host has been running for a while
        }

        Assert.DoesNotContain(logs.Events, e => e.RenderMessage(null).Contains("without an access token", StringComparison.Ordinal));
    }
}
