using Microsoft.AspNetCore.Server.Kestrel.Core;

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
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        var url = ProbeUrl(configuration["Kestrel:Endpoints:Http:Url"] ?? "http://localhost:8080");
        using var http = new HttpClient { Timeout = Timeout };
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

    /// <summary><c>/readyz</c> on the configured endpoint, with a wildcard host (<c>+</c>, <c>*</c>, <c>0.0.0.0</c>, <c>[::]</c>) made loopback.</summary>
    public static Uri ProbeUrl(string endpointUrl)
    {
        var address = BindingAddress.Parse(endpointUrl);
        var host = address.Host is "+" or "*" or "0.0.0.0" or "[::]" or "::" ? "127.0.0.1" : address.Host;
        return new Uri($"{address.Scheme}://{host}:{address.Port}/readyz");
    }
}
