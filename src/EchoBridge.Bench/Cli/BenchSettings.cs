using System.Net;
using EchoBridge.Bench.Load;
using System.Net.Sockets;

namespace EchoBridge.Bench.Cli;

/// <summary>One bench run, as the command line asked for it (already validated).</summary>
public sealed record BenchSettings(
    BenchMode Mode,
    Via Via,
    int Connections,
    int Size,
    TimeSpan Duration,
    TimeSpan Warmup,
    string Host,
    int Port,
    string UnixPath,
    Uri HubUrl,
    string HubTarget,
    bool HubBytes,
    HubProtocol HubProtocol,
    bool HubNoWait,
    int HubSessionsPerConnection,
    Uri WebSocketUrl,
    int Watchers,
    int? ServerPid,
    int WarmConnections,
    int WarmRounds,
    bool Json,
    bool Progress)
{
    /// <summary>The transport actually used: the mode itself for the echo modes, <see cref="Via"/> for idle and bulk.</summary>
    public Via Transport => Mode switch
    {
        BenchMode.Unix => Via.Unix,
        BenchMode.Hub => Via.Hub,
        BenchMode.WebSocket => Via.WebSocket,
        BenchMode.Idle or BenchMode.Bulk => Via,
        _ => Via.Tcp,
    };

    /// <summary>How the hub mode's client talks to the hub.</summary>
    public HubClientSettings Hub => new(HubUrl, HubTarget, HubBytes, HubProtocol, HubNoWait, HubSessionsPerConnection);

    /// <summary>What the run talks to, for the report: <c>tcp 127.0.0.1:9999</c>, <c>unix /run/x.sock</c>, a hub or WebSocket URL.</summary>
    public string Target => Mode == BenchMode.Udp ? $"udp {Host}:{Port}" : Transport switch
    {
        Via.Unix => $"unix {UnixPath}",
        Via.Hub => $"hub {HubUrl} target {HubTarget} ({HubProtocol.ToString().ToLowerInvariant()}{(HubNoWait ? ", no wait" : "")}"
            + $"{(HubSessionsPerConnection > 1 ? $", {HubSessionsPerConnection} sessions per connection" : "")})",
        Via.WebSocket => $"websocket {WebSocketUrl}",
        _ => $"tcp {Host}:{Port}",
    };

    /// <summary>The stream endpoint of the TCP or Unix transport.</summary>
    public EndPoint StreamEndPoint() =>
        Transport == Via.Unix ? new UnixDomainSocketEndPoint(UnixPath) : new IPEndPoint(ResolveHost(), Port);

    /// <summary>The UDP endpoint.</summary>
    public IPEndPoint DatagramEndPoint() => new(ResolveHost(), Port);

    private IPAddress ResolveHost()
    {
        if (IPAddress.TryParse(Host, out var address))
        {
            return address;
        }

        // Prefer IPv4 for a name like "localhost": the listener binds both, and refecho only 127.0.0.1.
        var addresses = Dns.GetHostAddresses(Host);
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault()
            ?? throw new SocketException((int)SocketError.HostNotFound);
    }
}
