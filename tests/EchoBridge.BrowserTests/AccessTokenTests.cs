using EchoBridge.BrowserTests.Infrastructure;

namespace EchoBridge.BrowserTests;

/// <summary>With an access token set, a link carrying it once is enough: the page, its files and its hub link work.</summary>
public class AccessTokenTests
{
    [Fact]
    public async Task Dashboard_opened_with_the_token_once_connects_to_the_hub()
    {
        await using var server = await TestHost.StartAsync(new Dictionary<string, string?> { ["EchoBridge:AccessToken"] = "s3cret-token" });
        var (playwright, browser) = await Chromium.LaunchAsync();
        using (playwright)
        {
            var page = await browser.NewPageAsync();

            var refused = await page.GotoAsync(server.Http.ToString());
            Assert.Equal(401, refused!.Status);

            await page.GotoAsync(new Uri(server.Http, "/?access_token=s3cret-token").ToString());
            await Expect(page.GetByTestId("hub-state")).ToHaveTextAsync("connected", new() { Timeout = 60_000 });
            await Expect(page.GetByTestId("console-1").GetByLabel("Target of console 1")).ToHaveValueAsync("echo", new() { Timeout = 15_000 });
            await browser.CloseAsync();
        }
    }
}
