using System.Net;
using System.Net.Sockets;
using EchoBridge.Contracts;

namespace EchoBridge.Listener;

/// <summary>
/// What the echo listener bound, for the readiness check, the dashboard and the bridge's <c>echo</c> target. The
/// listener is its one writer: it publishes an immutable picture once everything is bound, and nothing else changes it.
/// </summary>
public sealed class ListenerEndpoints
{
    private volatile Bound _bound = Bound.None;

    /// <summary>The TCP, TLS and Unix endpoints.</summary>
    public IReadOnlyList<EchoEndpoint> Streams => _bound.Streams;

    /// <summary>The bound TCP endpoints.</summary>
    public IReadOnlyList<IPEndPoint> Tcp => _bound.Tcp;

    /// <summary>The bound TLS echo endpoints (none unless <c>Listener:Tls:Port</c> is set).</summary>
    public IReadOnlyList<IPEndPoint> Tls => _bound.Tls;

    /// <summary>The Unix socket path, when that endpoint is on.</summary>
    public string? UnixPath => _bound.UnixPath;

    /// <summary>The bound UDP sockets.</summary>
    public IReadOnlyList<IPEndPoint> Udp => _bound.Udp;

    /// <summary>Whether every enabled endpoint is bound.</summary>
    public bool IsReady => _bound.Ready;

    internal void Publish(IReadOnlyList<EchoEndpoint> streams, IReadOnlyList<IPEndPoint> udp) => _bound = new Bound(streams, udp);

    /// <summary>Each endpoint, for the dashboard.</summary>
    public IReadOnlyList<EndpointStatus> Describe() => _bound.Status;

    private sealed class Bound
    {
        public static readonly Bound None = new([], [], ready: false);

        public Bound(IReadOnlyList<EchoEndpoint> streams, IReadOnlyList<IPEndPoint> udp, bool ready = true)
        {
            Streams = streams;
            Udp = udp;
            Ready = ready;
            Tcp = [.. streams.Where(e => e.Kind == SessionKind.Tcp).Select(e => (IPEndPoint)e.EndPoint)];
            Tls = [.. streams.Where(e => e.Kind == SessionKind.Tls).Select(e => (IPEndPoint)e.EndPoint)];
            UnixPath = streams.FirstOrDefault(e => e.Kind == SessionKind.Unix)?.EndPoint is UnixDomainSocketEndPoint unix
                ? unix.ToString() : null;
            Status =
            [
                .. streams.Select(e => new EndpointStatus(e.Kind.ToString().ToLowerInvariant(), e.Address, ready, e.Telnet)),
                .. udp.Select(e => new EndpointStatus("udp", e.ToString(), ready, Telnet: false)),
            ];
        }

        public IReadOnlyList<EchoEndpoint> Streams { get; }
        public IReadOnlyList<IPEndPoint> Tcp { get; }
        public IReadOnlyList<IPEndPoint> Tls { get; }
        public string? UnixPath { get; }
        public IReadOnlyList<IPEndPoint> Udp { get; }
        public bool Ready { get; }
        public IReadOnlyList<EndpointStatus> Status { get; }
    }
}
