namespace EchoBridge.Contracts;

/// <summary>How a listener session reached the echo listener.</summary>
public enum SessionKind
{
    /// <summary>A TCP client (telnet, nc, a Python socket, or a bridge session).</summary>
    Tcp,
    /// <summary>A client of the Unix-domain socket.</summary>
    Unix,
    /// <summary>A UDP peer: one remote address, all of its datagrams.</summary>
    Udp,
    /// <summary>A TLS client of the TLS echo endpoint (<c>openssl s_client</c>).</summary>
    Tls,
}
