using System.Net.Sockets;
using System.Text;
using EchoBridge.BrowserTests.Infrastructure;

namespace EchoBridge.BrowserTests;

/// <summary>
/// The publish output is complete: the top-level wwwroot/ and the WebAssembly client travel with it, and the trimmed
/// client still decodes the hub's MessagePack (its resolvers work by reflection, which trimming can break).
/// </summary>
public class PublishedBuildTests
{
    [Fact]
    public async Task Published_build_serves_wwwroot_and_runs_the_dashboard()
    {
        await using var product = await PublishedProduct.StartAsync();

        // A file of the repository's top-level wwwroot/ is in the publish output and served from it.
        Assert.True(File.Exists(Path.Combine(product.Folder, "wwwroot", "favicon.svg")));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var favicon = await http.GetStringAsync(new Uri(product.Http, "favicon.svg"));
        Assert.Contains("<svg", favicon, StringComparison.Ordinal);
        Assert.True(Directory.EnumerateFiles(Path.Combine(product.Folder, "wwwroot", "_framework"), "EchoBridge.Client.*.wasm").Any());

        // And the page's WebAssembly part starts in a browser from the published files alone.
        var (playwright, browser) = await Chromium.LaunchAsync();
        using (playwright)
        {
            var page = await browser.NewPageAsync();
            var handshake = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            page.WebSocket += (_, socket) => socket.FrameSent += (_, frame) =>
                handshake.TrySetResult(frame.Text ?? Encoding.UTF8.GetString(frame.Binary ?? []));
            await page.GotoAsync(product.Http.ToString());
            await Expect(page.GetByTestId("hub-state")).ToHaveTextAsync("connected", new() { Timeout = 60_000 });
            Assert.Equal("10px", await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('.card')).borderRadius"));
            Assert.Contains("\"protocol\":\"messagepack\"", await handshake.Task.WaitAsync(TimeSpan.FromSeconds(10)), StringComparison.Ordinal);

            // A session's row (a Watch snapshot) and its bytes (an Inspect frame) arrive and are drawn.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(product.UnixSocket), timeout.Token);
            await socket.SendAsync("hola publicado\n"u8.ToArray(), SocketFlags.None, timeout.Token);
            Assert.True(await socket.ReceiveAsync(new byte[64], SocketFlags.None, timeout.Token) > 0);
            var row = page.Locator("tbody tr[data-session-id]");
            await Expect(row).ToHaveCountAsync(1, new() { Timeout = 15_000 });
            await row.GetByRole(AriaRole.Button, new() { Name = "Inspect" }).ClickAsync();
            await Expect(page.Locator(".frame.dir-in").Filter(new() { HasText = "hola publicado" }).First).ToBeVisibleAsync();
            await browser.CloseAsync();
        }
    }
}
