namespace EchoBridge.Listener;

/// <summary>The echo listener's settings (section <c>Listener</c>; environment variables <c>Listener__Port</c>, …).</summary>
public sealed class ListenerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Listener";

    /// <summary>TCP and UDP port. 0 picks a free TCP port (UDP then takes the same number).</summary>
    public int Port { get; set; } = 9999;

    /// <summary><c>localhost</c> (127.0.0.1 and ::1), <c>any</c> (every interface, IPv4 and IPv6) or one IP address.</summary>
    public string BindAddress { get; set; } = "localhost";

    /// <summary>Telnet-friendly echo on TCP (true) or a pure RFC 862 byte echo (false).</summary>
    public bool Telnet { get; set; } = true;

    /// <summary>Most TCP and Unix sessions open at once; one more is refused at once.</summary>
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>Most TCP sessions open at once from one client IP address; one more is refused at once.</summary>
    public int MaxConnectionsPerAddress { get; set; } = 1_000;

    /// <summary>
    /// The listen backlog: connections the kernel completes and queues while the listener has not accepted them yet
    /// (the lesson's <c>listen(10)</c>). The kernel caps it at <c>net.core.somaxconn</c>.
    /// </summary>
    public int Backlog { get; set; } = 512;

    /// <summary>Seconds a client may leave its echo unread (the server has stopped reading it) before it is closed.</summary>
    public int StallTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Bytes the echo may hold for all its clients together (reads not yet echoed, echoes not yet taken by the kernel).
    /// Over it, the clients stalled longest are closed first.
    /// </summary>
    public long MaxBufferedBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Seconds without a byte from the client before it is told and closed; 0 turns it off.</summary>
    public int IdleTimeoutSeconds { get; set; } = 300;

    /// <summary>
    /// Runs socket completions, the echo loop and the HTTP side's reads on the socket engine's threads instead of handing
    /// each read to the thread pool (Kestrel's <c>UnsafePreferInlineScheduling</c> on both transports and inline socket
    /// completions, process-wide). Saves
    /// a thread hop per message; safe because nothing in this process blocks a thread.
    /// </summary>
    public bool InlineScheduling { get; set; } = true;

    /// <summary>
    /// Expect a PROXY protocol header (v1 or v2, as HAProxy, nginx <c>stream</c> and AWS NLB send it) at the start of
    /// every TCP and TLS connection: the session's client is the one in the header. A connection without one is closed.
    /// </summary>
    public bool ProxyProtocol { get; set; }

    /// <summary>The TLS echo endpoint.</summary>
    public TlsEchoOptions Tls { get; set; } = new();

    /// <summary>The Unix-domain socket endpoint.</summary>
    public UnixSocketOptions Unix { get; set; } = new();

    /// <summary>The UDP endpoint.</summary>
    public UdpOptions Udp { get; set; } = new();
}

/// <summary>Settings of the Unix-domain socket (section <c>Listener:Unix</c>).</summary>
public sealed class UnixSocketOptions
{
    /// <summary>Whether to listen on a Unix-domain socket at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The socket file; empty means <c>$XDG_RUNTIME_DIR/echobridge.sock</c>, else the temp directory.</summary>
    public string Path { get; set; } = "";

    /// <summary>Telnet-friendly echo (true) or a pure byte echo (false).</summary>
    public bool Telnet { get; set; } = true;
}

/// <summary>Settings of the UDP echo (section <c>Listener:Udp</c>).</summary>
public sealed class UdpOptions
{
    /// <summary>Whether to answer UDP datagrams at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Datagrams per second answered per source address; 0 turns the limit off.</summary>
    public int RateLimitPerSecond { get; set; } = 1000;

    /// <summary>How many datagrams a source may send in a burst above the rate.</summary>
    public int RateLimitBurst { get; set; } = 2000;

    /// <summary>UDP peers tracked at once (a budget of their own); when full, the one quiet for longest makes room.</summary>
    public int MaxPeers { get; set; } = 4_096;

    /// <summary>Seconds after its last datagram that a UDP peer stops being a session.</summary>
    public int PeerIdleSeconds { get; set; } = 60;
}

/// <summary>Settings of the TLS echo (section <c>Listener:Tls</c>): the same echo, over TLS.</summary>
public sealed class TlsEchoOptions
{
    /// <summary>The TLS echo's port; unset = off, 0 = any free port. It listens on <c>Listener:BindAddress</c>.</summary>
    public int? Port { get; set; }

    /// <summary>Its certificate; when empty, Kestrel's default certificate (<c>Kestrel:Certificates:Default</c>).</summary>
    public CertificateFileOptions Certificate { get; set; } = new();

    /// <summary>Seconds a client has to finish the TLS handshake (and send its PROXY header, when expected).</summary>
    public int HandshakeTimeoutSeconds { get; set; } = 10;
}

/// <summary>A certificate from files, as Kestrel names them: <c>Path</c> + <c>KeyPath</c> (PEM) or <c>Path</c> + <c>Password</c> (PFX).</summary>
public sealed class CertificateFileOptions
{
    /// <summary>The certificate file (PEM or PFX).</summary>
    public string Path { get; set; } = "";

    /// <summary>The PEM private key file.</summary>
    public string KeyPath { get; set; } = "";

    /// <summary>The PFX password (or the PEM key's).</summary>
    public string Password { get; set; } = "";
}
