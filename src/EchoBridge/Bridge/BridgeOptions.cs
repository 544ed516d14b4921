namespace EchoBridge.Bridge;

/// <summary>The bridge hub's settings (section <c>Bridge</c>): the target allow-list and the per-connection limits.</summary>
public sealed class BridgeOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Bridge";

    /// <summary>The name of the built-in target: the hosted TCP echo listener.</summary>
    public const string EchoTarget = "echo";

    /// <summary>
    /// The allow-list, by name. <c>echo</c> is always there and follows the listener's bound endpoint; a configured
    /// <c>echo</c> entry can only change its description.
    /// </summary>
    public Dictionary<string, BridgeTargetOptions> Targets { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Seconds a connect may take before the target counts as unreachable.</summary>
    public double ConnectTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// Seconds a send may wait for the target to make room (it is not reading) before it is refused. Hub calls of one
    /// connection run one at a time, so a send stuck forever would stall every later call of that connection.
    /// </summary>
    public double SendTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// Bridge sessions of both front doors (hub and WebSocket) open at once in all. Each one to <c>echo</c> costs two
    /// descriptors (the bridge's socket and the listener's).
    /// </summary>
    public int MaxSessions { get; set; } = 1000;

    /// <summary>Client connections of both front doors (hub connections and WebSockets) open at once in all.</summary>
    public int MaxClientConnections { get; set; } = 1000;

    /// <summary>Client connections of both front doors open at once from one client address.</summary>
    public int MaxClientConnectionsPerAddress { get; set; } = 100;

    /// <summary>The websockify-compatible WebSocket endpoint (section <c>Bridge:WebSocket</c>).</summary>
    public WebSocketBridgeOptions WebSocket { get; set; } = new();

    /// <summary>Bridge sessions one hub connection may have open at once.</summary>
    public int MaxSessionsPerConnection { get; set; } = 8;

    /// <summary>Streams (<c>Receive</c>, <c>Watch</c>, <c>Inspect</c>) one hub connection may have running at once.</summary>
    public int MaxStreamsPerConnection { get; set; } = 16;

    /// <summary><c>Send</c>/<c>SendBytes</c> calls per second one hub connection may make (token bucket refill).</summary>
    public int SendRatePerSecond { get; set; } = 500;

    /// <summary>How many sends may come in a burst above the rate (token bucket size).</summary>
    public int SendBurst { get; set; } = 1000;

    /// <summary>Most bytes one <c>Send</c>/<c>SendBytes</c> may write; more is refused with a HubException.</summary>
    public int MaxSendBytes { get; set; } = 16 * 1024;

    /// <summary>
    /// Largest hub message a client may send, in bytes: SignalR's own limit, which closes the connection when broken.
    /// Leaves room above <see cref="MaxSendBytes"/> for JSON's base64 and escaping, so a too-large send is refused
    /// politely first.
    /// </summary>
    public long MaxMessageBytes { get; set; } = 32 * 1024;

    /// <summary>Milliseconds between two <c>Watch</c> snapshots.</summary>
    public int WatchIntervalMilliseconds { get; set; } = 250;

    /// <summary>How many sessions a snapshot lists (the most recently active).</summary>
    public int WatchSessionLimit { get; set; } = 50;

    /// <summary>Origins besides the hub's own that may open it from a browser (<c>https://dash.example.com</c>).</summary>
    public List<string> AllowedOrigins { get; set; } = [];
}

/// <summary>One allow-listed target (section <c>Bridge:Targets:&lt;name&gt;</c>).</summary>
public sealed class BridgeTargetOptions
{
    /// <summary>Host name or IP address.</summary>
    public string Host { get; set; } = "";

    /// <summary>TCP port.</summary>
    public int Port { get; set; }

    /// <summary>What the dashboard shows for it.</summary>
    public string Description { get; set; } = "";

    /// <summary>Connect with TLS: SNI is <see cref="Host"/>, and the server's certificate must be trusted by the system.</summary>
    public bool Tls { get; set; }

    /// <summary>Accept any server certificate (a lab target's self-signed one); needs <see cref="Tls"/>. Logged at start.</summary>
    public bool AllowUntrustedCertificate { get; set; }
}

/// <summary>The plain WebSocket front door of the bridge (section <c>Bridge:WebSocket</c>).</summary>
public sealed class WebSocketBridgeOptions
{
    /// <summary>Whether the endpoint is mapped.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where: <c>/websockify?token=&lt;target&gt;</c> or <c>/websockify/&lt;target&gt;</c>.</summary>
    public string Path { get; set; } = "/websockify";

    /// <summary>The target for a client that names none (empty: such a client is refused).</summary>
    public string DefaultTarget { get; set; } = "";

    /// <summary>Seconds without a byte either way before the session is closed.</summary>
    public double IdleTimeoutSeconds { get; set; } = 300;

    /// <summary>Seconds between keep-alive pings; a client that has not answered one by the next is dropped.</summary>
    public double KeepAliveSeconds { get; set; } = 20;
}
