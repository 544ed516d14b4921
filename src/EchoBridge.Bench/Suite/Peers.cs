using System.Globalization;
using EchoBridge.Bench.Cli;

namespace EchoBridge.Bench.Suite;

/// <summary>
/// Everything the suite measures, in report order. Adding a peer is one entry: its server, its shape list and the
/// bench arguments that load it.
/// </summary>
public static class Peers
{
    /// <summary>The closed-loop peers for <paramref name="settings"/>.</summary>
    public static IReadOnlyList<Peer> Echo(SuiteSettings settings)
    {
        var peers = new List<Peer>
        {
            new("refecho", "refecho (C)", ServerKind.Refecho, PeerShapes.Echo, e => ["tcp", "--port", Port(e.RefechoPort)]) { Echoload = true },
            new("echobridge-tcp", "EchoBridge TCP", ServerKind.EchoBridge, PeerShapes.Echo, e => ["tcp", "--port", Port(e.EchoBridgePort)])
            {
                Echoload = true,
            },
            new("echobridge-unix", "EchoBridge Unix", ServerKind.EchoBridge, PeerShapes.Echo, e => ["unix", "--path", e.EchoBridgeUnixPath]),
            new("echobridge-udp", "EchoBridge UDP", ServerKind.EchoBridge, PeerShapes.Udp, e => ["udp", "--port", Port(e.EchoBridgePort)]),
            new("echobridge-tcp-watched", "EchoBridge TCP, a dashboard watching", ServerKind.EchoBridge, PeerShapes.Watched,
                e => ["tcp", "--port", Port(e.EchoBridgePort), "--watchers", "1", "--hub-url", e.EchoBridgeHttp.ToString()])
            {
                Unavailable = settings.Load == LoadGenerator.Echoload ? "echoload cannot hold a Watch stream (--load bench measures it)" : null,
            },
        };

        // The bridge through the hub, beside SignalR's own ceiling, in every variant.
        foreach (var variant in settings.HubVariants)
        {
            peers.Add(new($"hub-echobridge-{variant}", $"EchoBridge hub {variant}", ServerKind.EchoBridge, PeerShapes.Hub,
                e => ["hub", "--hub-url", e.EchoBridgeHttp.ToString(), .. variant.BenchArguments()]));
            peers.Add(new($"hub-ceiling-{variant}", $"SignalR ceiling {variant}", ServerKind.Ceiling, PeerShapes.Hub,
                e => ["hub", "--hub-url", e.CeilingHttp.ToString(), .. variant.BenchArguments()]));
        }

        // The WebSocket front door, and websockify (Python) relaying to refecho beside it: the same client, the same bytes.
        peers.Add(new("echobridge-websocket", "EchoBridge WebSocket (/websockify)", ServerKind.EchoBridge, PeerShapes.WebSocket,
            e => ["websocket", "--url", EchoBridgeWebSocket(e).ToString()]));
        peers.Add(new("websockify", "websockify → refecho", ServerKind.Websockify, PeerShapes.WebSocket,
            e => ["websocket", "--url", $"ws://127.0.0.1:{Port(e.WebsockifyPort)}/"])
        {
            Unavailable = settings.Programs.Websockify is null ? "websockify is not installed (apt-get install websockify)" : null,
        });
        return peers;
    }

    /// <summary>The idle-memory measurements.</summary>
    public static IReadOnlyList<IdlePeer> Idle() =>
    [
        new("tcp", "TCP", e => ["idle", "--via", "tcp", "--port", Port(e.EchoBridgePort)]),
        new("hub", "hub (a bridge session each)", e => ["idle", "--via", "hub", "--hub-url", e.EchoBridgeHttp.ToString()]),
        new("websocket", "WebSocket (/websockify, a bridge session each)",
            e => ["idle", "--via", "websocket", "--url", EchoBridgeWebSocket(e).ToString()]),
    ];

    /// <summary>The shapes <paramref name="peer"/> is measured at.</summary>
    public static IReadOnlyList<Shape> ShapesOf(Peer peer, SuiteSettings settings) => peer.Shapes switch
    {
        PeerShapes.Echo => settings.Shapes,
        PeerShapes.Udp => settings.UdpShapes,
        PeerShapes.Hub => settings.HubShapes,
        PeerShapes.WebSocket => settings.WebSocketShapes,
        _ => settings.WatchedShapes,
    };

    /// <summary>EchoBridge's <c>/websockify</c> to its <c>echo</c> target.</summary>
    public static Uri EchoBridgeWebSocket(PeerEndpoints endpoints) => WebSocketUrl.On(endpoints.EchoBridgeHttp, "websockify?token=echo");

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
