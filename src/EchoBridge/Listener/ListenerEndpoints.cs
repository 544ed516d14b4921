using System.Net;
using EchoBridge.Contracts;

namespace EchoBridge.Listener;

/// <summary>
/// The endpoints the listener was asked to bind and, once the server has started, the ones it did bind —
/// for the readiness check, the dashboard, the UDP echo (which follows the TCP port) and the bridge's <c>echo</c> target.
/// </summary>
public sealed class ListenerEndpoints
{
    private readonly List<EchoEndpoint> _streams = [];
    private readonly List<IPEndPoint> _udp = [];
    private readonly Lock _lock = new();
    private volatile bool _started;

    /// <summary>The TCP and Unix endpoints.</summary>
    public IReadOnlyList<EchoEndpoint> Streams
    {
        get
        {
            lock (_lock)
            {
                return [.. _streams];
            }
        }
    }

    /// <summary>The TCP endpoints, as bound once the server has started.</summary>
    public IReadOnlyList<IPEndPoint> Tcp =>
        [.. Streams.Where(e => e.Kind == SessionKind.Tcp).Select(e => e.ListenOptions.IPEndPoint!)];

    /// <summary>The Unix socket path, when that endpoint is on.</summary>
    public string? UnixPath => Streams.FirstOrDefault(e => e.Kind == SessionKind.Unix)?.ListenOptions.SocketPath;

    /// <summary>The bound UDP sockets.</summary>
    public IReadOnlyList<IPEndPoint> Udp
    {
        get
        {
            lock (_lock)
            {
                return [.. _udp];
            }
        }
    }

    /// <summary>Whether the UDP echo is configured to run.</summary>
    public bool UdpEnabled { get; set; }

    /// <summary>Whether every enabled endpoint is bound and the server is running.</summary>
    public bool IsReady => _started && (!UdpEnabled || Udp.Count > 0);

    internal void Add(EchoEndpoint endpoint)
    {
        lock (_lock)
        {
            _streams.Add(endpoint);
        }
    }

    internal void AddUdp(IPEndPoint bound)
    {
        lock (_lock)
        {
            _udp.Add(bound);
        }
    }

    internal void MarkStarted() => _started = true;

    /// <summary>Each endpoint and whether it is bound, for the dashboard.</summary>
    public IReadOnlyList<EndpointStatus> Describe()
    {
        var list = new List<EndpointStatus>();
        foreach (var endpoint in Streams)
        {
            list.Add(new EndpointStatus(endpoint.Kind == SessionKind.Unix ? "unix" : "tcp", endpoint.Address, _started, endpoint.Telnet));
        }

        foreach (var udp in Udp)
        {
            list.Add(new EndpointStatus("udp", udp.ToString(), true, Telnet: false));
        }

        return list;
    }
}
