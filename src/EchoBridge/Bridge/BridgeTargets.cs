using System.Diagnostics.CodeAnalysis;
using System.Net;
using EchoBridge.Contracts;
using EchoBridge.Listener;
using Microsoft.Extensions.Options;

namespace EchoBridge.Bridge;

/// <summary>
/// The allow-list of bridge targets. <c>echo</c> is derived from the listener's bound TCP endpoints (an <c>any</c>
/// bind is reached on loopback), so it follows <c>Listener:Port</c> and port 0 without a second setting.
/// </summary>
public sealed class BridgeTargets(IOptions<BridgeOptions> options, IOptions<ListenerOptions> listenerOptions, ListenerEndpoints listener)
{
    private const string EchoDescription = "the hosted TCP echo listener, over loopback";

    /// <summary>The targets, <c>echo</c> first, as the browser sees them.</summary>
    public IReadOnlyList<TargetInfo> List()
    {
        var list = new List<TargetInfo> { new(BridgeOptions.EchoTarget, EchoDescriptionFromSettings()) };
        foreach (var (name, target) in options.Value.Targets.OrderBy(pair => pair.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (!IsEcho(name))
            {
                list.Add(new TargetInfo(name, target.Description));
            }
        }

        return list;
    }

    /// <summary>Finds a target by name; false when it is not on the allow-list.</summary>
    public bool TryResolve(string? name, [NotNullWhen(true)] out BridgeTarget? target)
    {
        target = null;
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }

        if (IsEcho(name))
        {
            if (EchoEndPoint() is not { } echo)
            {
                return false;
            }

            target = new BridgeTarget(BridgeOptions.EchoTarget, EchoDescriptionFromSettings(), echo)
            {
                ExpectsProxyHeader = listenerOptions.Value.ProxyProtocol,
            };
            return true;
        }

        if (!options.Value.Targets.TryGetValue(name, out var settings))
        {
            return false;
        }

        EndPoint endPoint = IPAddress.TryParse(settings.Host, out var address)
            ? new IPEndPoint(address, settings.Port)
            : new DnsEndPoint(settings.Host, settings.Port);
        target = new BridgeTarget(name, settings.Description, endPoint)
        {
            TlsHost = settings.Tls ? settings.Host : null,
            AllowUntrustedCertificate = settings.AllowUntrustedCertificate,
        };
        return true;
    }

    private IPEndPoint? EchoEndPoint()
    {
        // Prefer IPv4: the listener then names our socket 127.0.0.1:port, which is what the link matches on.
        var bound = listener.Tcp.OrderBy(e => e.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 0 : 1)
            .FirstOrDefault();
        if (bound is null)
        {
            return null;
        }

        // A wildcard bind is reached on IPv4 loopback ([::] is dual-mode), so the listener shows the session from 127.0.0.1.
        var address = bound.Address.Equals(IPAddress.Any) || bound.Address.Equals(IPAddress.IPv6Any) ? IPAddress.Loopback
            : bound.Address;
        return new IPEndPoint(address, bound.Port);
    }

    private string EchoDescriptionFromSettings() =>
        options.Value.Targets.FirstOrDefault(pair => IsEcho(pair.Key)).Value is { Description.Length: > 0 } configured
            ? configured.Description
            : EchoDescription;

    private static bool IsEcho(string name) => string.Equals(name, BridgeOptions.EchoTarget, StringComparison.OrdinalIgnoreCase);
}
