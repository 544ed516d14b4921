namespace EchoBridge.Contracts;

/// <summary>
/// What <c>RunReuseAddress()</c> found: a lab port whose server side closed first (so its connection waits in
/// TIME_WAIT), then a new listener bound on that port without <c>SO_REUSEADDR</c> and with it.
/// </summary>
/// <param name="Port">The lab's loopback port.</param>
/// <param name="TimeWaitSockets">TIME_WAIT sockets on that port in the kernel's table just before the binds.</param>
/// <param name="WithoutReuse">The bind without the option: <c>ok</c>, or the error's <c>SocketError</c> name
/// (<c>AddressAlreadyInUse</c> on Linux). The OS message is not included: the page says it in the reader's language.</param>
/// <param name="WithReuse">The bind with the option: <c>ok</c>, or the error's <c>SocketError</c> name.</param>
public sealed record ReuseAddressResult(int Port, int TimeWaitSockets, string WithoutReuse, string WithReuse);

/// <summary>
/// What <c>RunStreamDatagram()</c> found: three small messages sent back to back, one <c>send</c> each, over TCP and
/// over UDP to the echo port, and how the server's own reads saw them.
/// </summary>
/// <param name="Sent">The size in bytes of each of the three sends (the same over TCP and UDP).</param>
/// <param name="TcpReads">The sizes of the server's reads of the TCP connection, in order: a stream has no message
/// boundaries, so there may be fewer reads than sends (their sizes add up to the bytes sent).</param>
/// <param name="UdpDatagrams">The sizes of the datagrams the server received, in order: one per send.</param>
public sealed record StreamDatagramResult(IReadOnlyList<int> Sent, IReadOnlyList<int> TcpReads, IReadOnlyList<int> UdpDatagrams);

/// <summary>
/// What <c>RunHalfClose()</c> found: a client sent a line, shut its sending side (<c>shutdown(SHUT_WR)</c>) and read
/// until the server closed.
/// </summary>
/// <param name="Sent">Bytes the client sent before shutting its sending side.</param>
/// <param name="Echoed">Bytes of echo the client read after that, before the end of the stream.</param>
/// <param name="EchoBeforeClose">Whether the whole echo arrived before the server's close (an orderly end of the
/// stream, not a reset).</param>
/// <param name="CloseReason">The server session's close reason, as the dashboard shows it (<c>closed by client</c>).</param>
public sealed record HalfCloseResult(int Sent, int Echoed, bool EchoBeforeClose, string CloseReason);
