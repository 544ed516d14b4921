using System.Globalization;
using System.Net.Sockets;
using System.Text;
using EchoBridge.BrowserTests.Infrastructure;

namespace EchoBridge.BrowserTests;

/// <summary>The socket lab in a real browser against the real product and real TCP clients.</summary>
public class LabPageTests(LabFixture fixture) : IClassFixture<LabFixture>
{
    // More than the accept queue can hold (Linux queues backlog + 1), so some handshakes are held back too.
    private const int Clients = LabFixture.Backlog + 4;

    private static readonly TimeSpan EchoBound = TimeSpan.FromSeconds(45); // held-back SYNs are retried after 1, 3, 7, 15 s

    [Fact]
    public async Task The_backlog_experiment_run_from_the_page_queues_clients_up_to_the_backlog_and_serves_them_all_on_resume()
    {
        var page = await fixture.OpenLabAsync();
        await Expect(page.GetByTestId("hub-state")).ToHaveTextAsync("connected", new() { Timeout = 60_000 });
        var kernelCount = page.Locator(".lab-kernel [data-testid=accept-count]").First;
        await Expect(kernelCount).ToHaveTextAsync("0");
        await Expect(page.Locator(".lab-kernel [data-testid=accept-queue]").First).ToContainTextAsync($"backlog {LabFixture.Backlog}");

        // Pause for longer than the test needs: it resumes by hand below.
        await page.GetByLabel("Seconds to pause accepting").FillAsync("60");
        await page.GetByTestId("pause-accepting").ClickAsync();
        await Expect(page.GetByTestId("backlog-state")).ToContainTextAsync("Paused");
        await Expect(page.GetByTestId("countdown")).ToContainTextAsync("It resumes by itself in");

        var clients = new List<Socket>();
        try
        {
            var echoes = new List<Task<string>>();
            for (var i = 0; i < Clients; i++)
            {
                var client = new Socket(fixture.Server.Tcp.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                clients.Add(client);
                echoes.Add(EchoAsync(client, $"hola {i}\n"));
            }

            // The kernel finishes backlog + 1 handshakes by itself; the page shows them waiting for accept().
            await Expect(kernelCount).ToHaveTextAsync((LabFixture.Backlog + 1).ToString(CultureInfo.InvariantCulture), new() { Timeout = 30_000 });
            await Expect(page.Locator(".lab-backlog [data-testid=accept-count]").First).ToHaveTextAsync((LabFixture.Backlog + 1).ToString(CultureInfo.InvariantCulture));
            await Expect(page.GetByTestId("held-back")).Not.ToHaveTextAsync(new System.Text.RegularExpressions.Regex(": 0$"));
            await page.ScreenshotAsync(new() { Path = Path.Combine(DashboardFixture.Artifacts, "lab-backlog.png"), FullPage = true });
            Assert.All(echoes, e => Assert.False(e.IsCompleted, "an echo came back while accepting was paused"));

            await page.GetByTestId("resume-accepting").ClickAsync();
            await Expect(page.GetByTestId("backlog-state")).ToContainTextAsync("Accepting");

            var answers = await Task.WhenAll(echoes).WaitAsync(EchoBound);
            Assert.Equal(Enumerable.Range(0, Clients).Select(i => $"hola {i}\n"), answers);
            await Expect(kernelCount).ToHaveTextAsync("0");
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    [Fact]
    public async Task The_dashboards_top_bar_leads_to_the_lab_and_back()
    {
        var page = await fixture.Browser.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync(fixture.Server.Http.ToString());
        await Expect(page.GetByTestId("hub-state")).ToHaveTextAsync("connected", new() { Timeout = 60_000 });

        await page.GetByTestId("lab-link").ClickAsync();

        await Expect(page).ToHaveURLAsync(fixture.Server.Url("lab").ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "The kernel's view" })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("snippet-python-client").Locator("pre")).ToContainTextAsync($"s.connect((\"127.0.0.1\", {fixture.Server.Tcp.Port}))");
        await page.GetByRole(AriaRole.Link, new() { Name = "← Dashboard" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sessions", Exact = true })).ToBeVisibleAsync(new() { Timeout = 60_000 });
    }

    [Fact]
    public async Task A_sessions_timeline_shows_its_reads_and_writes_beside_the_lessons_python_and_who_closed_first()
    {
        var page = await fixture.OpenLabAsync();
        await Expect(page.GetByTestId("hub-state")).ToHaveTextAsync("connected", new() { Timeout = 60_000 });

        using var client = new Socket(fixture.Server.Tcp.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var bound = new CancellationTokenSource(EchoBound);
        await client.ConnectAsync(fixture.Server.Tcp, bound.Token);
        var port = ((System.Net.IPEndPoint)client.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture);
        var option = page.Locator("#timeline-session option", new() { HasText = ":" + port });
        await Expect(option).ToHaveCountAsync(1);
        await page.Locator("#timeline-session").SelectOptionAsync(await option.GetAttributeAsync("value") ?? "");

        // One 3,000-byte line (one read on loopback), its echo, then the lesson's quit line.
        var line = Encoding.ASCII.GetBytes(new string('x', 2999) + "\n");
        await client.SendAsync(line, SocketFlags.None, bound.Token);
        await ReceiveAsync(client, 3000, bound.Token);
        await client.SendAsync("quit\r\n"u8.ToArray(), SocketFlags.None, bound.Token);
        await ReceiveAsync(client, "quit\r\nGoodbye.\r\n".Length, bound.Token);

        var steps = page.Locator(".lab-steps tbody tr");
        await Expect(steps.First).ToContainTextAsync($"accept() on {fixture.Server.Tcp}: a new connection from 127.0.0.1:{port}");
        await Expect(page.GetByTestId("timeline-endpoint")).ToHaveTextAsync(fixture.Server.Tcp.ToString());
        await Expect(steps.Filter(new() { HasText = "The server wrote 3000 bytes back" })).ToContainTextAsync("The lesson's client needs 3 recv(1024) calls to get it all.");
        await Expect(steps.Filter(new() { HasText = "The server read 3000 bytes" }).Locator("code")).ToHaveTextAsync("data = conn.recv(1024)");
        await Expect(steps.Filter(new() { HasText = "The client sent the quit line" }).Locator("code")).ToHaveTextAsync("if data.strip() == b\"quit\":");
        await Expect(page.GetByTestId("close-reason")).ToHaveTextAsync("the client sent quit", new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("closed-by")).ToHaveTextAsync("the client");
        await Expect(steps.Last.Locator("code")).ToHaveTextAsync("s.close()");
    }

    [Fact]
    public async Task The_lab_fits_a_phone_and_every_control_is_labelled()
    {
        var page = await fixture.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync(fixture.Server.Url("lab").ToString());
        await Expect(page.GetByTestId("hub-state")).ToHaveTextAsync("connected", new() { Timeout = 60_000 });
        await Expect(page.Locator(".lab-kernel [data-testid=accept-count]").First).ToBeVisibleAsync();
        await Expect(page.GetByTestId("snippet-node-client")).ToBeVisibleAsync();

        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"the lab is {overflow}px wider than a phone's screen");
        var unlabelled = await page.EvaluateAsync<string[]>("""
            [...document.querySelectorAll('input, select, button')]
              .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())
              .map(e => e.outerHTML)
            """);
        Assert.Empty(unlabelled);
        await page.ScreenshotAsync(new() { Path = Path.Combine(DashboardFixture.Artifacts, "lab-phone.png"), FullPage = true });
    }

    private static async Task ReceiveAsync(Socket client, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        for (var received = 0; received < count;)
        {
            var read = await client.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None, cancellationToken);
            Assert.True(read > 0, "the server closed before the echo");
            received += read;
        }
    }

    // Connects (a held-back handshake completes once accepting resumes), sends one line, reads its echo.
    private async Task<string> EchoAsync(Socket client, string line)
    {
        using var bound = new CancellationTokenSource(EchoBound);
        await client.ConnectAsync(fixture.Server.Tcp, bound.Token);
        await client.SendAsync(Encoding.ASCII.GetBytes(line), SocketFlags.None, bound.Token);
        var buffer = new byte[256];
        var received = 0;
        while (received < line.Length)
        {
            var read = await client.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None, bound.Token);
            if (read == 0)
            {
                break;
            }

            received += read;
        }

        return Encoding.ASCII.GetString(buffer, 0, received);
    }
}
