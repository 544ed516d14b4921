using System.Net;
using EchoBridge.Hosting;
using EchoBridge.Tests.Infrastructure;
using EchoBridge.Tests.Listener;

namespace EchoBridge.Tests.Hosting;

/// <summary>HTTPS for the dashboard and hub with Kestrel's standard certificate settings.</summary>
public sealed class HttpsTests
{
    [Theory]
    [InlineData("pem")]
    [InlineData("pfx")]
    public async Task The_dashboard_answers_over_HTTPS_with_Kestrels_default_certificate(string form)
    {
        using var files = TestCertificate.Create();
        var settings = new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Http:Url"] = "https://127.0.0.1:0",
            ["Kestrel:Certificates:Default:Path"] = form == "pem" ? files.PemPath : files.PfxPath,
        };
        settings[form == "pem" ? "Kestrel:Certificates:Default:KeyPath" : "Kestrel:Certificates:Default:Password"] =
            form == "pem" ? files.KeyPath : TestCertificate.Password;
        await using var host = await TestHost.StartAsync(settings);

        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Subject == "CN=localhost" };
        using var http = new HttpClient(handler);
        Assert.Equal("https", host.Http.Scheme);
        Assert.Equal("Healthy", await http.GetStringAsync(host.Url("/readyz")).Within());
    }

    [Theory]
    [InlineData("missing", "Kestrel:Certificates:Default:Path")]
    [InlineData("password", "Kestrel:Certificates:Default")]
    public async Task A_bad_certificate_setting_fails_the_start_with_one_line_naming_it(string problem, string setting)
    {
        using var files = TestCertificate.Create();
        var settings = new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Http:Url"] = "https://127.0.0.1:0",
            ["Kestrel:Certificates:Default:Path"] = problem == "missing" ? "/nowhere/cert.pfx" : files.PfxPath,
            ["Kestrel:Certificates:Default:Password"] = "wrong",
        };

        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestHost.StartAsync(settings));

        Assert.StartsWith(setting, StartupGuard.Explain(error), StringComparison.Ordinal);
    }
}
