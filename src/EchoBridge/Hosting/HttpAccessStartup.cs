using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace EchoBridge.Hosting;

/// <summary>
/// Once the server has bound its addresses (and before the host reports itself started): publishes what the HTTP
/// endpoint is bound to, and, when it listens beyond loopback with no access token and no explicit
/// <c>EchoBridge:OpenAccess=true</c>, makes up a token, as Jupyter does, and prints the ready-to-open URL once, to
/// the console only (never through a log sink: logs are kept and shipped, the token must not be).
/// </summary>
internal sealed partial class HttpAccessStartup(
    IServer server,
    HttpExposure exposure,
    AccessToken token,
    IOptions<EchoBridgeOptions> options,
    ILogger<HttpAccessStartup> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Hosted services start before the server does; StartedAsync runs once every one of them (the server
    // included) has started, before ApplicationStarted's callbacks (the open-access warning's among them).
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        exposure.Publish(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);
        var binding = exposure.Binding!;
        if (binding.LoopbackOnly || token.Required || options.Value.OpenAccess)
        {
            return Task.CompletedTask;
        }

        var value = token.Generate();
        var urls = binding.Addresses
            .Select(a => $"{a.Scheme}://{(HttpExposure.IsWildcard(a) ? "localhost" : a.Host)}:{a.Port}/?{AccessToken.QueryParameter}={value}")
            .Distinct();
        Console.Out.WriteLine($"""
            EchoBridge listens beyond loopback, so the dashboard and hub need an access token, made up for this run.
            Open the dashboard with it (from another machine, put this one's name or address in place of localhost):
                {string.Join(Environment.NewLine + "    ", urls)}
            """);
        Console.Out.Flush();
        LogGenerated(AccessToken.Setting, "EchoBridge:OpenAccess");
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "The hub and dashboard listen beyond loopback with no token set: they require one made up for this run, printed on the console with the URL to open. Set {Setting} to choose it, or {OpenAccessSetting}=true for none.")]
    private partial void LogGenerated(string setting, string openAccessSetting);
}
