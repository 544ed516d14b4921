namespace EchoBridge.BrowserTests.Infrastructure;

/// <summary>
/// Debian's Chromium, headless. Playwright's own browser download is not used (this project's machines can't reach
/// it); the flags keep Chromium from phoning home, which a closed network answers with refused connections, and make
/// its language English whatever the machine's (the dashboard follows the browser's; a test wanting another sets its
/// page's <c>Locale</c>).
/// </summary>
public static class Chromium
{
    /// <summary>Where Debian installs it (test.sh installs it when missing).</summary>
    public const string Path = "/usr/bin/chromium";

    /// <summary>Launches a fresh headless browser, with <paramref name="extraArgs"/> on its command line.</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync(params string[] extraArgs)
    {
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            Timeout = 60_000,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--lang=en-US", .. extraArgs,
            ],
        });
        return (playwright, browser);
    }
}
