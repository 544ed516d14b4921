namespace EchoBridge.Hosting;

/// <summary>
/// <c>--check-health</c>: asks this configuration's own HTTP endpoint for <c>/readyz</c> and exits 0 (ready) or 1.
/// It reads the same settings as the server (appsettings.json, environment, command line) but starts nothing.
/// </summary>
public static class HealthCheckCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    /// <summary>Runs the probe; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter error)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        var url = HttpAddresses.LocalUrl(HttpAddresses.Resolve(configuration).Urls[0], "/readyz");
        // The probe asks its own server over loopback: a certificate made for the public name cannot match 127.0.0.1.
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        using var http = new HttpClient(handler) { Timeout = Timeout };
        try
        {
            using var response = await http.GetAsync(url);
            if (response.IsSuccessStatusCode)
            {
                return 0;
            }

            await error.WriteLineAsync($"echobridge: {url} answered {(int)response.StatusCode}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await error.WriteLineAsync($"echobridge: {url} did not answer: {ex.Message}");
        }

        return 1;
    }
}
