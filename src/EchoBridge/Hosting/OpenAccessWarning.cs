using System.Net;
using EchoBridge.Listener;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace EchoBridge.Hosting;

/// <summary>
/// Once the server runs, warns when the HTTP endpoint (hub and dashboard) is reachable beyond loopback and no access
/// token is set: anyone on the network could then drive the bridge.
/// </summary>
internal sealed partial class OpenAccessWarning(
    IServer server,
    AccessToken token,
    ListenerEndpoints listener,
    IHostApplicationLifetime lifetime,
    ILogger<OpenAccessWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Check);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Check()
    {
        if (token.Required || server.Features.Get<IServerAddressesFeature>() is not { } feature)
        {
            return;
        }

        // Kestrel lists the echo endpoints too (and the Unix socket as http://unix:…); only the HTTP one serves the hub.
        var echoPorts = listener.Tcp.Select(e => e.Port).ToHashSet();
        foreach (var address in feature.Addresses)
        {
            if (address.Contains("unix:", StringComparison.OrdinalIgnoreCase)
                || (Uri.TryCreate(address, UriKind.Absolute, out var uri) && echoPorts.Contains(uri.Port)))
            {
                continue;
            }

            if (!IsLoopback(address))
            {
                LogOpen(address, AccessToken.Setting);
            }
        }
    }

    // Kestrel reports wildcard binds as http://[::]:8080 or http://0.0.0.0:8080; "localhost" and 127.x/::1 stay local.
    private static bool IsLoopback(string address)
    {
        if (!Uri.TryCreate(address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal),
                UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The hub and dashboard listen beyond loopback on {Address} without an access token: anyone who can reach it can use the bridge. Set {Setting}.")]
    private partial void LogOpen(string address, string setting);
}
