using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using EchoBridge.BrowserTests.Infrastructure;

namespace EchoBridge.BrowserTests;

/// <summary>The page's link to the server is always shown and comes back by itself after a server restart.</summary>
public partial class ReconnectTests
{
    [Fact]
    public async Task Page_shows_the_lost_link_and_reconnects_when_the_server_is_back()
    {
        var port = FreeLoopbackPort();
        var settings = new Dictionary<string, string?> { ["Kestrel:Endpoints:Http:Url"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}" };
        var first = await TestHost.StartAsync(settings);
        var (playwright, browser) = await Chromium.LaunchAsync();
        using (playwright)
        {
            var page = await browser.NewPageAsync();
            await page.GotoAsync(first.Http.ToString());
            var state = page.GetByTestId("hub-state");
            await Expect(state).ToHaveTextAsync("connected", new() { Timeout = 60_000 });

            await first.DisposeAsync();
            await Expect(state).ToHaveTextAsync(Lost(), new() { Timeout = 15_000 });

            await using var second = await TestHost.StartAsync(settings);
            await Expect(state).ToHaveTextAsync("connected", new() { Timeout = 30_000 });

            // Live data flows again (the snapshot names the new server's echo port), and the targets are there.
            await Expect(page.Locator(".endpoints")).ToContainTextAsync($"127.0.0.1:{second.Tcp.Port}", new() { Timeout = 15_000 });
            await Expect(page.GetByTestId("console-1").GetByLabel("Target of console 1")).ToHaveValueAsync("echo", new() { Timeout = 15_000 });
            await browser.CloseAsync();
        }
    }

    private static int FreeLoopbackPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    [GeneratedRegex("^(reconnecting…|offline)$")]
    private static partial Regex Lost();
}
