using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using EchoBridge.BrowserTests.Infrastructure;

namespace EchoBridge.BrowserTests;

/// <summary>
/// noVNC's own <c>Websock</c> class (npm <c>@novnc/novnc</c>, core/websock.js, pinned in tests/clients) in Chromium
/// against /websockify, as noVNC opens it (no subprotocol), with a raw TCP target. The page is served by Playwright
/// from a made-up origin that the bridge allows; a second made-up origin it does not allow is refused.
/// </summary>
public sealed class NoVncWebsockTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string AllowedOrigin = "http://novnc.test";
    private const string OtherOrigin = "http://evil.test";
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(20);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _console = new();

    // The made-up origins count as public sites, which Chromium keeps off loopback (Local Network Access); a real
    // deployment serves noVNC from a host the user reaches, so that check is not what is tested here.
    private const string LetMadeUpOriginsReachLoopback = "--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests";

    // Websock as noVNC's RFB uses it: sQpushBytes + flush to send, rQlen/rQshiftBytes on 'message' to read.
    private const string Page = """
        <!doctype html><meta charset="utf-8"><title>websock</title>
        <script type="module">
        import Websock from '/core/websock.js';
        window.exchange = (url, sendBase64, expect) => new Promise((resolve) => {
          const sock = new Websock();
          const parts = []; let total = 0;
          const finish = (extra) => {
            const all = new Uint8Array(total); let at = 0;
            for (const p of parts) { all.set(p, at); at += p.length; }
            let binary = ''; for (let i = 0; i < all.length; i += 8192) binary += String.fromCharCode(...all.subarray(i, i + 8192));
            resolve({ received: btoa(binary), protocol: sock._websocket ? sock._websocket.protocol : '', ...extra });
          };
          sock.on('open', () => {
            const data = Uint8Array.from(atob(sendBase64), c => c.charCodeAt(0));
            for (let i = 0; i < data.length; i += 997) { sock.sQpushBytes(data.subarray(i, i + 997)); sock.flush(); }
          });
          sock.on('message', () => {
            const n = sock.rQlen(); parts.push(sock.rQshiftBytes(n)); total += n;
            if (total >= expect && expect > 0) { finish({ code: 0 }); sock.close(); }
          });
          sock.on('close', (e) => finish({ code: e.code, reason: e.reason }));
          sock.on('error', () => {});
          sock.open(url);
        });
        window.ready = true;
        </script>
        """;

    [Fact]
    public async Task Websock_moves_random_binary_both_ways_unchanged_and_sees_the_targets_close()
    {
        await EnsureNoVncAsync();
        using var target = Listen(out var port);
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Bridge:Targets:vnc:Host"] = "127.0.0.1",
            ["Bridge:Targets:vnc:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Bridge:AllowedOrigins:0"] = AllowedOrigin,
        });
        var (playwright, browser) = await Chromium.LaunchAsync(LetMadeUpOriginsReachLoopback);
        try
        {
            var page = await OpenPageAsync(browser, AllowedOrigin);
            var up = RandomBytes(256 * 1024, 21);
            var down = RandomBytes(256 * 1024, 22);
            var url = new UriBuilder(host.Url("/websockify?token=vnc")) { Scheme = "ws" }.Uri.ToString();

            var running = page.EvaluateAsync<JsonElement>("([u, s, n]) => window.exchange(u, s, n)",
                new object[] { url, Convert.ToBase64String(up), down.Length });
            using var accepted = await target.AcceptAsync().WaitAsync(Step);
            await accepted.SendAsync(down, SocketFlags.None).WaitAsync(Step);
            var received = await ReadExactlyAsync(accepted, up.Length);
            var result = await running.WaitAsync(Step);

            Assert.True(up.AsSpan().SequenceEqual(received), "the target got Websock's bytes unchanged");
            Assert.True(down.AsSpan().SequenceEqual(Convert.FromBase64String(result.GetProperty("received").GetString()!)),
                "Websock got the target's bytes unchanged");
            Assert.Equal("", result.GetProperty("protocol").GetString()); // noVNC offers none: served in binary all the same

            // The target closes: Websock's close event carries 1000 and the reason.
            var closing = page.EvaluateAsync<JsonElement>("([u]) => window.exchange(u, '', 0)", new object[] { url });
            using (var second = await target.AcceptAsync().WaitAsync(Step))
            {
                second.Shutdown(SocketShutdown.Both);
            }

            var closed = await closing.WaitAsync(Step);
            Assert.Equal(1000, closed.GetProperty("code").GetInt32());
            Assert.Equal("closed by target", closed.GetProperty("reason").GetString());
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [Fact]
    public async Task A_page_from_another_site_cannot_open_it()
    {
        await EnsureNoVncAsync();
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Bridge:AllowedOrigins:0"] = AllowedOrigin });
        var (playwright, browser) = await Chromium.LaunchAsync(LetMadeUpOriginsReachLoopback);
        try
        {
            var page = await OpenPageAsync(browser, OtherOrigin);
            var url = new UriBuilder(host.Url("/websockify/echo")) { Scheme = "ws" }.Uri.ToString();

            var result = await page.EvaluateAsync<JsonElement>("([u]) => window.exchange(u, '', 0)", new object[] { url }).WaitAsync(Step);

            Assert.Equal(1006, result.GetProperty("code").GetInt32()); // the browser never opened it...
            Assert.Contains(_console, line => line.Contains("Unexpected response code: 403", StringComparison.Ordinal)); // ...for the 403
            Assert.Equal(0, host.Registry.GetTotals().TotalSessions);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    private async Task<IPage> OpenPageAsync(IBrowser browser, string origin)
    {
        var page = await browser.NewPageAsync();
        page.Console += (_, message) =>
        {
            _console.Enqueue(message.Text);
            output.WriteLine($"console: {message.Text}");
        };
        page.PageError += (_, error) => output.WriteLine($"page error: {error}");
        var core = Path.Combine(ClientsFolder, "node_modules", "@novnc", "novnc");
        await page.RouteAsync(origin + "/**", async route =>
        {
            var path = new Uri(route.Request.Url).AbsolutePath;
            if (path == "/")
            {
                await route.FulfillAsync(new() { Status = 200, ContentType = "text/html", Body = Page });
                return;
            }

            var file = Path.GetFullPath(Path.Combine(core, path.TrimStart('/')));
            if (file.StartsWith(core, StringComparison.Ordinal) && File.Exists(file))
            {
                await route.FulfillAsync(new() { Status = 200, ContentType = "text/javascript", BodyBytes = await File.ReadAllBytesAsync(file) });
                return;
            }

            await route.FulfillAsync(new() { Status = 404 });
        });
        await page.GotoAsync(origin + "/");
        await page.WaitForFunctionAsync("() => window.ready === true", null, new() { Timeout = 20_000 });
        return page;
    }

    private static string ClientsFolder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EchoBridge.sln")))
                {
                    return Path.Combine(dir.FullName, "tests", "clients");
                }
            }

            throw new InvalidOperationException("EchoBridge.sln not found above " + AppContext.BaseDirectory);
        }
    }

    private static async Task EnsureNoVncAsync()
    {
        if (Directory.Exists(Path.Combine(ClientsFolder, "node_modules", "@novnc", "novnc")))
        {
            return;
        }

        // test.sh installs it; a run of this project alone installs the pinned packages the same way.
        using var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund --silent") { WorkingDirectory = ClientsFolder })!;
        await npm.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(0, npm.ExitCode);
    }

    private static Socket Listen(out int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen();
        port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        return socket;
    }

    private static async Task<byte[]> ReadExactlyAsync(Socket socket, int count)
    {
        var buffer = new byte[count];
        for (var read = 0; read < count;)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None).AsTask().WaitAsync(Step);
            Assert.True(n > 0, $"the connection ended after {read} of {count} bytes");
            read += n;
        }

        return buffer;
    }

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
