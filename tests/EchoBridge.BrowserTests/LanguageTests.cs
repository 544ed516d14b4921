using EchoBridge.BrowserTests.Infrastructure;

namespace EchoBridge.BrowserTests;

/// <summary>
/// The dashboard in the browser's language: a Spanish browser gets the page, and the WebAssembly client that draws
/// it, in Spanish; EN on the page switches it to English, and the choice outlives a reload.
/// Runs alone (its own collection, not in parallel): its four WebAssembly starts would otherwise land on the load
/// test's flood and measure each other.
/// </summary>
[Collection(nameof(LanguageTests))]
public class LanguageTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private static readonly LocatorAssertionsToHaveTextOptions Started = new() { Timeout = 60_000 };

    // A browser set to Spanish: Accept-Language es-ES and navigator.languages both say so.
    private async Task<IPage> OpenInSpanishAsync()
    {
        var page = await fixture.Browser.NewPageAsync(new BrowserNewPageOptions
        {
            Locale = "es-ES",
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
        });
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync(fixture.Server.Http.ToString());
        return page;
    }

    [Fact]
    public async Task A_Spanish_browser_gets_the_dashboard_in_Spanish_once_the_WebAssembly_client_runs()
    {
        var page = await OpenInSpanishAsync();
        try
        {
            // The link state is drawn by the WebAssembly client: in Spanish, it started in the server's culture.
            await Expect(page.GetByTestId("hub-state")).ToHaveTextAsync("conectado", Started);
            Assert.Equal("es", await page.EvaluateAsync<string>("document.documentElement.lang"));
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sesiones", Exact = true })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "En vivo", Exact = true })).ToBeVisibleAsync();
            await Expect(page.Locator(".numbers dt").First).ToHaveTextAsync("Sesiones activas");
            await Expect(page.Locator("figure.chart figcaption")).ToContainTextAsync("mensajes/s, último minuto");
            await Expect(page.Locator(".endpoints li").First).ToContainTextAsync("escuchando");
            await Expect(page.GetByTestId("console-1").GetByRole(AriaRole.Button, new() { Name = "Conectar", Exact = true })).ToBeVisibleAsync();
            await Expect(page.GetByTestId("language-es")).ToHaveAttributeAsync("aria-current", "true");
            await page.ScreenshotAsync(new() { Path = Path.Combine(DashboardFixture.Artifacts, "dashboard-es.png"), FullPage = true });
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Switching_to_English_is_remembered_across_a_reload()
    {
        var page = await OpenInSpanishAsync();
        try
        {
            await Expect(page.GetByTestId("hub-state")).ToHaveTextAsync("conectado", Started);

            await page.GetByTestId("language-en").ClickAsync();

            await Expect(page.GetByTestId("hub-state")).ToHaveTextAsync("connected", Started);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sessions", Exact = true })).ToBeVisibleAsync();
            Assert.Equal(fixture.Server.Http.ToString(), page.Url);

            // The browser still asks for Spanish; the cookie the switch set says English.
            await page.ReloadAsync();
            await Expect(page.GetByTestId("hub-state")).ToHaveTextAsync("connected", Started);
            Assert.Equal("en", await page.EvaluateAsync<string>("document.documentElement.lang"));
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Live", Exact = true })).ToBeVisibleAsync();
            await Expect(page.GetByTestId("language-en")).ToHaveAttributeAsync("aria-current", "true");
            var cookies = await page.Context.CookiesAsync();
            Assert.Contains(cookies, c => c.Name == ".AspNetCore.Culture" && c.Value == "c%3Den%7Cuic%3Den");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}

/// <summary>The language tests' collection: run after the parallel ones, by itself.</summary>
[CollectionDefinition(nameof(LanguageTests), DisableParallelization = true)]
public sealed class LanguageTestsCollection;
