using Microsoft.Extensions.Options;

namespace EchoBridge.Bridge;

/// <summary>Checks the bridge's settings at start; each failure names the setting.</summary>
public sealed class BridgeOptionsValidator : IValidateOptions<BridgeOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, BridgeOptions options)
    {
        var failures = new List<string>();
        foreach (var (target, settings) in options.Targets)
        {
            if (string.Equals(target, BridgeOptions.EchoTarget, StringComparison.OrdinalIgnoreCase))
            {
                if (settings.Tls || settings.AllowUntrustedCertificate)
                {
                    failures.Add($"Bridge:Targets:{target}:Tls cannot be set: echo is the plain TCP listener (name another target for the TLS echo)");
                }

                continue; // follows the listener; only its description is read
            }

            if (settings.AllowUntrustedCertificate && !settings.Tls)
            {
                failures.Add($"Bridge:Targets:{target}:AllowUntrustedCertificate needs Bridge:Targets:{target}:Tls=true");
            }

            if (string.IsNullOrWhiteSpace(settings.Host))
            {
                failures.Add($"Bridge:Targets:{target}:Host must be set");
            }

            if (settings.Port is < 1 or > 65535)
            {
                failures.Add($"Bridge:Targets:{target}:Port must be between 1 and 65535 (got {settings.Port})");
            }
        }

        Positive(options.ConnectTimeoutSeconds, "ConnectTimeoutSeconds", failures);
        Positive(options.SendTimeoutSeconds, "SendTimeoutSeconds", failures);
        Positive(options.MaxSessions, "MaxSessions", failures);
        Positive(options.MaxClientConnections, "MaxClientConnections", failures);
        Positive(options.MaxClientConnectionsPerAddress, "MaxClientConnectionsPerAddress", failures);
        Positive(options.MaxSessionsPerConnection, "MaxSessionsPerConnection", failures);
        Positive(options.MaxStreamsPerConnection, "MaxStreamsPerConnection", failures);
        Positive(options.SendRatePerSecond, "SendRatePerSecond", failures);
        Positive(options.SendBurst, "SendBurst", failures);
        Positive(options.MaxSendBytes, "MaxSendBytes", failures);
        Positive(options.MaxMessageBytes, "MaxMessageBytes", failures);
        if (options.MaxMessageBytes < options.MaxSendBytes * 4L / 3 + 512)
        {
            failures.Add($"Bridge:MaxMessageBytes must leave room for a base64-encoded Bridge:MaxSendBytes (at least {options.MaxSendBytes * 4L / 3 + 512}, got {options.MaxMessageBytes})");
        }

        Positive(options.WatchIntervalMilliseconds, "WatchIntervalMilliseconds", failures);
        Positive(options.WatchSessionLimit, "WatchSessionLimit", failures);
        foreach (var origin in options.AllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out _))
            {
                failures.Add($"Bridge:AllowedOrigins must hold absolute origins like https://example.com (got '{origin}')");
            }
        }

        var webSocket = options.WebSocket;
        if (!webSocket.Path.StartsWith('/') || webSocket.Path.Length < 2 || webSocket.Path.EndsWith('/')
            || webSocket.Path.StartsWith("/hubs", StringComparison.OrdinalIgnoreCase) || webSocket.Path.Contains('?'))
        {
            failures.Add($"Bridge:WebSocket:Path must be a path like /websockify, not / nor under /hubs (got '{webSocket.Path}')");
        }

        if (webSocket.DefaultTarget.Length > 0 && !string.Equals(webSocket.DefaultTarget, BridgeOptions.EchoTarget, StringComparison.OrdinalIgnoreCase)
            && !options.Targets.ContainsKey(webSocket.DefaultTarget))
        {
            failures.Add($"Bridge:WebSocket:DefaultTarget must name a target of Bridge:Targets or echo (got '{webSocket.DefaultTarget}')");
        }

        Positive(webSocket.IdleTimeoutSeconds, "WebSocket:IdleTimeoutSeconds", failures);
        Positive(webSocket.KeepAliveSeconds, "WebSocket:KeepAliveSeconds", failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(double value, string setting, List<string> failures)
    {
        if (value <= 0)
        {
            failures.Add($"Bridge:{setting} must be more than 0 (got {value})");
        }
    }
}
