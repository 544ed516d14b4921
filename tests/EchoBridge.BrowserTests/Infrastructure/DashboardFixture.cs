namespace EchoBridge.BrowserTests.Infrastructure;

/// <summary>One product and one browser for a test class; each test opens its own page.</summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    /// <summary>The running product.</summary>
    public TestHost Server { get; private set; } = null!;

    /// <summary>The browser.</summary>
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go: the test output folder's artifacts/.</summary>
    public static string Artifacts { get; } = Directory.CreateDirectory(System.IO.Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        // Playwright's expectations retry until they hold or this bound passes (its default, 5 s, is tight on 2 cores).
        SetDefaultExpectTimeout(15_000);
        Server = await TestHost.StartAsync();
        (_playwright, Browser) = await Chromium.LaunchAsync();
    }

    /// <summary>A new page at a laptop's size (or <paramref name="width"/> × <paramref name="height"/>).</summary>
    public async Task<IPage> OpenDashboardAsync(int width = 1400, int height = 1000)
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        page.SetDefaultTimeout(30_000); // generous: CI shares two cores with the WebAssembly start-up
        await page.GotoAsync(Server.Http.ToString());
        return page;
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
