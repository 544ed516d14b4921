using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Telemetry;

/// <summary>
/// OpenTelemetry listens to meters by name across the whole process, so a host's /metrics would also count the
/// instruments of other test hosts alive at the same moment (in production there is one host per process). These tests
/// therefore run alone.
/// </summary>
[CollectionDefinition(nameof(MetricsTests), DisableParallelization = true)]
public sealed class MetricsTestsRunAlone;

[Collection(nameof(MetricsTests))]
public sealed class MetricsTests
{
    /// <summary>The value of the one series of <paramref name="name"/> that carries all of <paramref name="labels"/> (in any order).</summary>
    private static double Sample(string scrape, string name, params string[] labels)
    {
        var values = Regex.Matches(scrape, "^" + Regex.Escape(name) + @"\{([^}]*)\}\s+(\S+)", RegexOptions.Multiline)
            .Where(m => labels.All(label => m.Groups[1].Value.Split(',').Contains(label)))
            .Select(m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))
            .ToList();
        Assert.True(values.Count == 1, $"expected one sample of {name} with {string.Join(",", labels)} in:\n{scrape}");
        return values[0];
    }

    [Fact]
    public async Task Metrics_are_scraped_in_Prometheus_format_and_agree_with_the_registry()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Listener:MaxConnections"] = "2" });
        using var first = await EchoClient.ConnectAsync(host.Tcp);
        using var second = await EchoClient.ConnectAsync(host.UnixPath);
        await first.SendAsync("hello\n");
        await first.ReceiveExactlyAsync(6);
        using (var refused = await EchoClient.ConnectAsync(host.Tcp))
        {
            await refused.ReceiveToEndAsync();
        }

        using var http = new HttpClient();
        var scrape = await http.GetStringAsync(host.Url("/metrics")).Within();

        var totals = host.Registry.GetTotals();
        Assert.Equal(1, Sample(scrape, "echobridge_sessions_active", "kind=\"tcp\""));
        Assert.Equal(1, Sample(scrape, "echobridge_sessions_active", "kind=\"unix\""));
        Assert.Equal(totals.BytesIn, Sample(scrape, "echobridge_bytes_total", "direction=\"in\""));
        Assert.Equal(totals.BytesOut, Sample(scrape, "echobridge_bytes_total", "direction=\"out\""));
        Assert.Equal(1, Sample(scrape, "echobridge_connections_refused_total", "reason=\"connection limit reached\""));
        Assert.Contains("kestrel_active_connections", scrape, StringComparison.Ordinal);
        Assert.True(Sample(scrape, "dotnet_gc_heap_total_allocated_bytes_total") > 0, "the runtime's own meter is exported");
    }

    [Fact]
    public async Task The_bridge_round_trip_histogram_counts_each_reply()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await BridgeClient.ConnectAsync(host);
        var session = await client.OpenAsync();
        await using var frames = client.Receive(session.SessionId);
        for (var i = 0; i < 3; i++)
        {
            await client.SendAsync(session.SessionId, $"ping {i}\n");
            Assert.NotNull(await frames.NextAsync());
        }

        using var http = new HttpClient();
        var scrape = await http.GetStringAsync(host.Url("/metrics")).Within();

        Assert.Equal(3, Sample(scrape, "echobridge_bridge_round_trip_milliseconds_count"));
    }

    [Fact]
    public async Task Metrics_can_be_switched_off()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["EchoBridge:Metrics:Enabled"] = "false" });
        using var http = new HttpClient();

        using var response = await http.GetAsync(host.Url("/metrics")).Within();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
