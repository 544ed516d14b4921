using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using EchoBridge.BrowserTests.Infrastructure;
using Xunit.Abstractions;

namespace EchoBridge.BrowserTests;

/// <summary>What a person does on the dashboard, through the real bridge hub, the real listener and a real socket.</summary>
public partial class BridgeEndToEndTests(DashboardFixture fixture, ITestOutputHelper output) : IClassFixture<DashboardFixture>
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Console_echoes_and_a_raw_socket_is_listed_inspected_and_disconnected()
    {
        var page = await fixture.OpenDashboardAsync();
        await Expect(page.GetByTestId("hub-state")).ToHaveTextAsync("connected", new() { Timeout = 60_000 });

        // Console: connect to the echo target, send a line, see it come back with its round-trip time.
        var console = page.GetByTestId("console-1");
        await Expect(console.GetByLabel("Target of console 1")).ToHaveValueAsync("echo");
        await console.GetByRole(AriaRole.Button, new() { Name = "Connect", Exact = true }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Log)).ToContainTextAsync("Connected to echo");
        var input = console.GetByLabel("Message for console 1");
        await input.FillAsync("hola from the browser");
        await input.PressAsync("Enter");
        var reply = console.Locator(".entry.received").Filter(new() { HasText = "hola from the browser" });
        await Expect(reply).ToBeVisibleAsync();
        await Expect(reply.Locator(".rtt")).ToHaveTextAsync(RoundTrip());

        // A raw TCP client of the listener shows up in the sessions table.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(fixture.Server.Tcp).WaitAsync(Step);
        var port = ((System.Net.IPEndPoint)socket.LocalEndPoint!).Port;
        var row = page.Locator("tbody tr").Filter(new() { HasText = $":{port}" });
        await Expect(row).ToBeVisibleAsync();
        await Expect(row.Locator(".kind")).ToHaveTextAsync("tcp");

        // Its bytes appear in the inspector, text and hex side by side.
        await row.GetByRole(AriaRole.Button, new() { Name = "Inspect" }).ClickAsync();
        await socket.SendAsync(Encoding.ASCII.GetBytes("inspect me\n"), SocketFlags.None).WaitAsync(Step);
        var frame = page.Locator(".frame.dir-in").Filter(new() { HasText = "inspect me" });
        await Expect(frame.First).ToBeVisibleAsync();
        await Expect(frame.First.Locator(".frame-hex")).ToContainTextAsync("69 6e 73 70 65 63 74 20");

        // The bridged session of the console is listed too, marked as such.
        await Expect(page.Locator("tbody .kind-bridged").First).ToBeVisibleAsync();

        await page.EvaluateAsync("window.scrollTo(0, 0)"); // the header is sticky: a full-page shot starts at the top
        var screenshot = Path.Combine(DashboardFixture.Artifacts, "dashboard.png");
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        output.WriteLine($"screenshot: {screenshot}");

        // Disconnect, after confirming, ends the session: the socket is closed by the server, and the row stays listed
        // as closed (its capture can still be exported and replayed) with no Disconnect button.
        await row.GetByRole(AriaRole.Button, new() { Name = "Disconnect" }).ClickAsync();
        await page.GetByRole(AriaRole.Alertdialog).GetByRole(AriaRole.Button, new() { Name = "Yes, disconnect" }).ClickAsync();
        await ReadUntilClosedAsync(socket);
        await Expect(row.GetByTestId("closed")).ToContainTextAsync("disconnected by an operator");
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Disconnect" })).ToHaveCountAsync(0);
    }

    private static async Task ReadUntilClosedAsync(Socket socket)
    {
        var buffer = new byte[4096];
        using var bound = new CancellationTokenSource(Step);
        while (await socket.ReceiveAsync(buffer, SocketFlags.None, bound.Token) > 0)
        {
            // A farewell line may come first; the close is what counts.
        }
    }

    [GeneratedRegex(@"^\d+(\.\d)? ms$")]
    private static partial Regex RoundTrip();
}
