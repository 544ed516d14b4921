using EchoBridge.BrowserTests.Infrastructure;

namespace EchoBridge.BrowserTests;

/// <summary>The page itself: served whole by the product (no CDN, no internet), and its WebAssembly part starts.</summary>
public class DashboardPageTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = 60_000 };

    [Fact]
    public async Task Page_comes_from_the_product_alone_and_its_WebAssembly_part_runs()
    {
        var page = await fixture.Browser.NewPageAsync();
        var foreign = new List<string>();
        var failed = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(fixture.Server.Http.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal)
                && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                foreign.Add(request.Url);
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400 && !response.Url.Contains("/hubs/", StringComparison.Ordinal))
            {
                failed.Add($"{response.Status} {response.Url}");
            }
        };

        await page.GotoAsync(fixture.Server.Http.ToString());

        // The status pill is rendered by the WebAssembly component, so seeing it means the .NET runtime started.
        await Expect(page.GetByTestId("hub-state")).ToBeVisibleAsync(Visible);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sessions", Exact = true })).ToBeVisibleAsync();
        Assert.Empty(foreign);
        Assert.Empty(failed);

        // The stylesheet from the repository's top-level wwwroot/ is served and applied.
        var css = await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('.card')).borderRadius");
        Assert.Equal("10px", css);
        var favicon = await page.EvaluateAsync<string>("document.querySelector('link[rel=icon]').href");
        var response = await page.APIRequest.GetAsync(favicon);
        Assert.Equal(200, response.Status);
        Assert.Contains("<svg", await response.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_fits_a_phone_screen_without_sideways_scrolling()
    {
        var page = await fixture.OpenDashboardAsync(width: 390, height: 844);
        await Expect(page.GetByTestId("hub-state")).ToHaveTextAsync("connected", new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("console-1").GetByLabel("Target of console 1")).ToHaveValueAsync("echo");
        await Expect(page.Locator(".commands li").First).ToBeVisibleAsync();

        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"the page is {overflow}px wider than a phone's screen");
        await page.ScreenshotAsync(new() { Path = Path.Combine(DashboardFixture.Artifacts, "dashboard-phone.png"), FullPage = true });
    }

    [Fact]
    public async Task Controls_are_labelled_and_reachable_by_keyboard()
    {
        var page = await fixture.OpenDashboardAsync();
        await Expect(page.GetByTestId("hub-state")).ToBeVisibleAsync(Visible);

        // Every input and select has an accessible name (a <label> or aria-label).
        var unlabelled = await page.EvaluateAsync<string[]>("""
            [...document.querySelectorAll('input, select, button')]
              .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())
              .map(e => e.outerHTML)
            """);
        Assert.Empty(unlabelled);

        // Tab reaches the sessions filter.
        var filter = page.GetByLabel("Filter");
        for (var i = 0; i < 30 && !await filter.EvaluateAsync<bool>("e => e === document.activeElement"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        await Expect(filter).ToBeFocusedAsync();
    }
}
