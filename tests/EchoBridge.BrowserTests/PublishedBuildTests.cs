using EchoBridge.BrowserTests.Infrastructure;

namespace EchoBridge.BrowserTests;

/// <summary>The publish output is complete: the top-level wwwroot/ and the WebAssembly client travel with it.</summary>
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
            await page.GotoAsync(product.Http.ToString());
            await Expect(page.GetByTestId("hub-state")).ToBeVisibleAsync(new() { Timeout = 60_000 });
            Assert.Equal("10px", await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('.card')).borderRadius"));
            await browser.CloseAsync();
        }
    }
}
