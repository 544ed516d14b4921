using System.Net;
using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Localization;

/// <summary>
/// The page's language: the culture cookie, else <c>Accept-Language</c>, else English, written into <c>&lt;html lang&gt;</c>
/// (where the WebAssembly client reads it); <c>/culture/set</c> sets the cookie for a supported culture and a local
/// redirect only, behind the same host and token checks as the page.
/// </summary>
public sealed class CultureEndpointTests(CultureEndpointTests.Host host) : IClassFixture<CultureEndpointTests.Host>
{
    private const string CookieName = ".AspNetCore.Culture";

    /// <summary>One product for the tests that need no settings of their own.</summary>
    public sealed class Host : IAsyncLifetime
    {
        public TestHost Server { get; private set; } = null!;

        public async Task InitializeAsync() => Server = await TestHost.StartAsync();

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }

    private static async Task<HttpResponseMessage> GetAsync(TestHost server, string path, string? acceptLanguage = null, string? cookie = null)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, server.Url(path));
        if (acceptLanguage is not null)
        {
            request.Headers.Add("Accept-Language", acceptLanguage);
        }

        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return await http.SendAsync(request).Within();
    }

    private static IEnumerable<string> CultureCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies.Where(c => c.StartsWith(CookieName + "=", StringComparison.Ordinal)) : [];

    [Theory]
    [InlineData(null, "en")]
    [InlineData("es-ES,es;q=0.9,en;q=0.8", "es")]
    [InlineData("es-MX", "es")]
    [InlineData("en-GB,es;q=0.5", "en")]
    [InlineData("fr-FR,de;q=0.9", "en")]
    public async Task The_page_is_in_the_browsers_language_when_supported_else_English(string? acceptLanguage, string lang)
    {
        using var response = await GetAsync(host.Server, "/", acceptLanguage);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"<html lang=\"{lang}\">", html, StringComparison.Ordinal);
        Assert.Equal([lang], response.Content.Headers.ContentLanguage);
        Assert.Contains(lang == "es" ? "El panel se ejecuta en tu navegador" : "The dashboard runs in your browser", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cookie_wins_over_the_browsers_language()
    {
        using var spanish = await GetAsync(host.Server, "/", "en-US,en", $"{CookieName}=c%3Des%7Cuic%3Des");
        using var english = await GetAsync(host.Server, "/", "es-ES,es", $"{CookieName}=c%3Den%7Cuic%3Den");
        using var unknown = await GetAsync(host.Server, "/", "es-ES,es", $"{CookieName}=c%3Dfr%7Cuic%3Dfr");

        Assert.Contains("<html lang=\"es\">", await spanish.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\">", await english.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // A cookie naming an unsupported culture is passed over: the browser's language decides.
        Assert.Contains("<html lang=\"es\">", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("es", "/", "/")]
    [InlineData("EN", "/?access_token=abc", "/?access_token=abc")]
    [InlineData("es", null, "/")]
    public async Task Setting_a_supported_culture_remembers_it_and_goes_back_to_the_page(string culture, string? redirect, string location)
    {
        var query = $"/culture/set?culture={culture}" + (redirect is null ? "" : $"&redirectUri={Uri.EscapeDataString(redirect)}");
        using var response = await GetAsync(host.Server, query);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
        var cookie = Assert.Single(CultureCookies(response));
        var language = culture.ToLowerInvariant();
        Assert.StartsWith($"{CookieName}=c%3D{language}%7Cuic%3D{language};", cookie, StringComparison.Ordinal);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("max-age=31536000", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);

        // The cookie it set is the one the page then follows.
        using var page = await GetAsync(host.Server, "/", language == "es" ? "en" : "es", cookie.Split(';')[0]);
        Assert.Contains($"<html lang=\"{language}\">", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("es-MX")]
    [InlineData("")]
    [InlineData("x'><script>")]
    public async Task An_unknown_culture_is_refused_and_sets_nothing(string culture)
    {
        using var response = await GetAsync(host.Server, $"/culture/set?culture={Uri.EscapeDataString(culture)}&redirectUri=%2F");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Unknown language: culture must be one of en, es.", await response.Content.ReadAsStringAsync());
        Assert.Empty(CultureCookies(response));
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("evil")]
    [InlineData("/\r\nSet-Cookie: x=1")]
    public async Task A_redirect_off_this_server_is_refused_and_sets_nothing(string redirect)
    {
        using var response = await GetAsync(host.Server, $"/culture/set?culture=es&redirectUri={Uri.EscapeDataString(redirect)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("redirectUri must be a path on this server (like /).", await response.Content.ReadAsStringAsync());
        Assert.Null(response.Headers.Location);
        Assert.Empty(CultureCookies(response));
    }

    [Fact]
    public async Task Only_pages_are_localized_the_machine_endpoints_are_not()
    {
        using var metrics = await GetAsync(host.Server, "/metrics", "es-ES,es");
        using var health = await GetAsync(host.Server, "/healthz", "es-ES,es");

        Assert.Empty(metrics.Content.Headers.ContentLanguage);
        Assert.Empty(health.Content.Headers.ContentLanguage);
    }

    [Fact]
    public async Task The_endpoint_is_behind_the_same_host_and_token_checks_as_the_page()
    {
        await using var guarded = await TestHost.StartAsync(new Dictionary<string, string?> { ["EchoBridge:AccessToken"] = "s3cret-T0ken-for-tests" });

        using var anonymous = await GetAsync(guarded, "/culture/set?culture=es&redirectUri=%2F");
        using var withToken = await GetAsync(guarded, "/culture/set?culture=es&redirectUri=%2F", cookie: "echobridge_token=s3cret-T0ken-for-tests");
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var foreign = new HttpRequestMessage(HttpMethod.Get, guarded.Url("/culture/set?culture=es&redirectUri=%2F"));
        foreign.Headers.Host = "evil.example";
        using var foreignResponse = await http.SendAsync(foreign).Within();

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Empty(CultureCookies(anonymous));
        Assert.Equal(HttpStatusCode.Redirect, withToken.StatusCode);
        Assert.Single(CultureCookies(withToken));
        Assert.Equal(HttpStatusCode.BadRequest, foreignResponse.StatusCode);
        Assert.Empty(CultureCookies(foreignResponse));
    }
}
