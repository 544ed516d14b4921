using System.Net.Sockets;
using System.Text;
using EchoBridge.BrowserTests.Infrastructure;

namespace EchoBridge.BrowserTests;

/// <summary>A session that ended stays on the page: its capture downloads as pcapng that tshark reads, and it replays.</summary>
public class CaptureReplayTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_closed_session_is_downloaded_as_pcapng_and_replayed()
    {
        var page = await fixture.OpenDashboardAsync();
        await Expect(page.GetByTestId("hub-state")).ToHaveTextAsync("connected", new() { Timeout = 60_000 });

        int port;
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(fixture.Server.Tcp).WaitAsync(Step);
            port = ((System.Net.IPEndPoint)socket.LocalEndPoint!).Port;
            await socket.SendAsync(Encoding.ASCII.GetBytes("hola replay\n"), SocketFlags.None).WaitAsync(Step);
            await socket.SendAsync(Encoding.ASCII.GetBytes("quit\n"), SocketFlags.None).WaitAsync(Step);
            var buffer = new byte[4096];
            using var bound = new CancellationTokenSource(Step);
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, bound.Token) > 0)
            {
                // Read the echo and the farewell until the server closes.
            }
        }

        var row = page.Locator("tbody tr").Filter(new() { HasText = $":{port}" });
        await Expect(row.GetByTestId("closed")).ToHaveTextAsync("closed (quit)");

        // Export: a real download of the page's link, read back by tshark.
        var download = await page.RunAndWaitForDownloadAsync(() => row.GetByRole(AriaRole.Link, new() { Name = "Export" }).ClickAsync());
        var file = Path.Combine(DashboardFixture.Artifacts, download.SuggestedFilename);
        await download.SaveAsAsync(file);
        var follow = await Tshark.RunAsync("tshark", "-r", file, "-q", "-z", "follow,tcp,ascii,0");
        Assert.Contains("hola replay", follow, StringComparison.Ordinal);
        Assert.Contains("Goodbye.", follow, StringComparison.Ordinal);

        // Replay: drag to the end, the whole conversation and its close are shown with their directions.
        await row.GetByRole(AriaRole.Button, new() { Name = "Replay" }).ClickAsync();
        var replay = page.Locator("section.replay");
        await Expect(replay.GetByTestId("replay")).ToBeVisibleAsync();
        var timeline = replay.GetByLabel("Replay position");
        await timeline.FillAsync(await timeline.GetAttributeAsync("max") ?? "0");
        await Expect(replay.Locator("li[data-dir=in]").First).ToContainTextAsync("hola replay");
        await Expect(replay.Locator("li[data-dir=out]").Last).ToContainTextAsync("Goodbye.");
        await Expect(replay.GetByTestId("replay-closed")).ToContainTextAsync("closed (quit)");
        await timeline.FillAsync("0");
        await Expect(replay.Locator("li[data-dir]")).ToHaveCountAsync(0);
        await replay.GetByRole(AriaRole.Button, new() { Name = "Play" }).ClickAsync();
        await Expect(replay.Locator("li[data-dir=in]").First).ToContainTextAsync("hola replay");
    }
}
