using System.Net;

namespace EchoBridge.Lab;

/// <summary>One row of <c>/proc/net/tcp</c> or <c>/proc/net/tcp6</c>: a TCP socket as the kernel sees it.</summary>
/// <param name="State">Its state.</param>
/// <param name="Local">This end's address and port.</param>
/// <param name="Remote">The other end (<c>0.0.0.0:0</c> or <c>[::]:0</c> for a listening socket).</param>
/// <param name="TxQueue">Bytes sent but not yet acknowledged by the peer.</param>
/// <param name="RxQueue">Bytes received but not yet read by the program; for a listening socket, the accept queue length.</param>
public sealed record KernelSocket(TcpState State, IPEndPoint Local, IPEndPoint Remote, long TxQueue, long RxQueue)
{
    /// <summary>For a listening socket, how many finished handshakes wait for <c>accept()</c>; null for any other.</summary>
    public long? AcceptQueue => State == TcpState.Listen ? RxQueue : null;
}
