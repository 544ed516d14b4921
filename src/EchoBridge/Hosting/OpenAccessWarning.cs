namespace EchoBridge.Hosting;

/// <summary>
/// Once the server runs, warns when the HTTP endpoint (hub and dashboard) is reachable beyond loopback and no access
/// token is set: anyone on the network could then drive the bridge.
/// </summary>
internal sealed partial class OpenAccessWarning(
    HttpExposure exposure,
    AccessToken token,
    IHostApplicationLifetime lifetime,
    ILogger<OpenAccessWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Check);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Without EchoBridge:OpenAccess=true a token is made up before this runs (HttpAccessStartup), so this warns only
    // about access that was asked for.
    private void Check()
    {
        if (token.Required || exposure.Binding is not { LoopbackOnly: false } binding)
        {
            return;
        }

        foreach (var address in binding.Addresses.Where(a => !HttpExposure.IsLoopback(a)))
        {
            LogOpen(address.ToString(), AccessToken.Setting);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The hub and dashboard listen beyond loopback on {Address} without an access token: anyone who can reach it can use the bridge. Set {Setting}.")]
    private partial void LogOpen(string address, string setting);
}
