using System.Globalization;

namespace EchoBridge.BrowserTests.Infrastructure;

/// <summary>
/// One product with a small listen backlog (<see cref="Backlog"/>, as a classroom's <c>listen(3)</c>) and one browser,
/// for the socket lab's tests; each test opens its own page at <c>/lab</c>.
/// </summary>
public sealed class LabFixture : IAsyncLifetime
{
    /// <summary>The echo listener's backlog in these tests.</summary>
    public const int Backlog = 3;

    private IPlaywright? _playwright;

    /// <summary>The running product.</summary>
    public TestHost Server { get; private set; } = null!;

    /// <summary>The browser.</summary>
    public IBrowser Browser { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        SetDefaultExpectTimeout(15_000);
        Server = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Listener:Backlog"] = Backlog.ToString(CultureInfo.InvariantCulture),
        });
        (_playwright, Browser) = await Chromium.LaunchAsync();
    }

    /// <summary>A new page at the lab.</summary>
    public async Task<IPage> OpenLabAsync()
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        page.SetDefaultTimeout(30_000); // generous: CI shares two cores with the WebAssembly start-up
        await page.GotoAsync(Server.Url("lab").ToString());
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
