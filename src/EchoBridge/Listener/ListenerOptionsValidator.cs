using System.Net;
using System.Net.Sockets;
using System.Text;
using EchoBridge.Hosting;
using Microsoft.Extensions.Options;

namespace EchoBridge.Listener;

/// <summary>Checks the listener's settings at start; each failure names the setting and what was wrong.</summary>
public sealed class ListenerOptionsValidator : IValidateOptions<ListenerOptions>
{
    // sockaddr_un.sun_path holds 108 bytes including the terminating NUL.
    private const int MaxUnixPathBytes = 107;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ListenerOptions options)
    {
        var failures = new List<string>();
        if (options.Port is < 0 or > 65535)
        {
            failures.Add($"Listener:Port must be between 0 and 65535 (got {options.Port})");
        }

        if (!ListenerAddresses.TryParse(options.BindAddress, out _))
        {
            failures.Add($"Listener:BindAddress must be 'localhost', 'any' or an IP address (got '{options.BindAddress}')");
        }

        if (options.MaxConnections < 1)
        {
            failures.Add($"Listener:MaxConnections must be at least 1 (got {options.MaxConnections})");
        }

        if (options.MaxConnectionsPerAddress < 1)
        {
            failures.Add($"Listener:MaxConnectionsPerAddress must be at least 1 (got {options.MaxConnectionsPerAddress})");
        }

        if (options.Backlog is < 1 or > 65535)
        {
            failures.Add($"Listener:Backlog must be between 1 and 65535 (got {options.Backlog})");
        }

        if (options.StallTimeoutSeconds < 1)
        {
            failures.Add($"Listener:StallTimeoutSeconds must be at least 1 (got {options.StallTimeoutSeconds})");
        }

        if (options.MaxBufferedBytes < TransportBlockPool.BlockSize * 16L)
        {
            failures.Add($"Listener:MaxBufferedBytes must be at least {TransportBlockPool.BlockSize * 16L} (got {options.MaxBufferedBytes})");
        }

        if (options.Tls.Port is < 0 or > 65535)
        {
            failures.Add($"Listener:Tls:Port must be between 0 and 65535 (got {options.Tls.Port})");
        }

        if (options.Tls.Port is { } tls && tls != 0 && tls == options.Port)
        {
            failures.Add($"Listener:Tls:Port must differ from Listener:Port (both {tls})");
        }

        if (options.Tls.HandshakeTimeoutSeconds < 1)
        {
            failures.Add($"Listener:Tls:HandshakeTimeoutSeconds must be at least 1 (got {options.Tls.HandshakeTimeoutSeconds})");
        }

        if (options.Udp.MaxPeers < 1)
        {
            failures.Add($"Listener:Udp:MaxPeers must be at least 1 (got {options.Udp.MaxPeers})");
        }

        if (options.IdleTimeoutSeconds < 0)
        {
            failures.Add($"Listener:IdleTimeoutSeconds must be 0 (off) or more (got {options.IdleTimeoutSeconds})");
        }

        if (options.Unix.Enabled)
        {
            ValidateUnixPath(UnixSocketPath.Resolve(options.Unix), failures);
        }

        if (options.Udp.RateLimitPerSecond < 0)
        {
            failures.Add($"Listener:Udp:RateLimitPerSecond must be 0 (off) or more (got {options.Udp.RateLimitPerSecond})");
        }

        if (options.Udp.RateLimitPerSecond > 0 && options.Udp.RateLimitBurst < 1)
        {
            failures.Add($"Listener:Udp:RateLimitBurst must be at least 1 (got {options.Udp.RateLimitBurst})");
        }

        if (options.Udp.PeerIdleSeconds < 1)
        {
            failures.Add($"Listener:Udp:PeerIdleSeconds must be at least 1 (got {options.Udp.PeerIdleSeconds})");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateUnixPath(string path, List<string> failures)
    {
        if (!Path.IsPathFullyQualified(path))
        {
            failures.Add($"Listener:Unix:Path must be an absolute path (got '{path}')");
            return;
        }

        if (Encoding.UTF8.GetByteCount(path) > MaxUnixPathBytes)
        {
            failures.Add($"Listener:Unix:Path is longer than {MaxUnixPathBytes} bytes, the limit of a Unix socket address (got '{path}')");
            return;
        }

        var directory = Path.GetDirectoryName(path);
        if (string.IsNullOrEmpty(directory) || !Directory.Exists(directory))
        {
            failures.Add($"Listener:Unix:Path: directory '{directory}' does not exist");
        }
        else if (Directory.Exists(path))
        {
            failures.Add($"Listener:Unix:Path '{path}' is a directory");
        }
    }
}

/// <summary>The addresses a <see cref="ListenerOptions.BindAddress"/> stands for.</summary>
public static class ListenerAddresses
{
    /// <summary>
    /// Parses <c>localhost</c>, <c>any</c> (also <c>*</c>, <c>0.0.0.0</c>, <c>::</c>) or an IP address. IPv6 is used where
    /// this machine can bind it: localhost is 127.0.0.1 and ::1; any is a dual-mode [::] (IPv4 too), else 0.0.0.0.
    /// </summary>
    public static bool TryParse(string? value, out IPAddress[] addresses)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "localhost":
                addresses = CanBind(IPAddress.IPv6Loopback) ? [IPAddress.Loopback, IPAddress.IPv6Loopback] : [IPAddress.Loopback];
                return true;
            case "any" or "*" or "0.0.0.0" or "::" or "[::]":
                addresses = [CanBind(IPAddress.IPv6Any) ? IPAddress.IPv6Any : IPAddress.Any];
                return true;
        }

        if (IPAddress.TryParse(value, out var address))
        {
            addresses = [address];
            return true;
        }

        addresses = [];
        return false;
    }

    /// <summary>Whether a socket can bind this address (containers often have IPv6 switched off).</summary>
    private static bool CanBind(IPAddress address)
    {
        try
        {
            using var probe = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            probe.Bind(new IPEndPoint(address, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
