using System.Net;
using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Hosting;

public sealed class HealthTests
{
    [Fact]
    public async Task Healthz_says_alive_and_readyz_says_every_endpoint_is_bound()
    {
        await using var host = await TestHost.StartAsync();
        using var http = new HttpClient();

        using var alive = await http.GetAsync(host.Url("/healthz")).Within();
        using var ready = await http.GetAsync(host.Url("/readyz")).Within();

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        Assert.True(host.Endpoints.IsReady);
        Assert.Equal(["tcp", "unix", "udp"], host.Endpoints.Describe().Select(e => e.Protocol));
    }
}
