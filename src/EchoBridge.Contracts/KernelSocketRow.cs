namespace EchoBridge.Contracts;

/// <summary>One TCP socket on an echo port as the kernel sees it (a row of Linux <c>/proc/net/tcp</c> or <c>tcp6</c>).</summary>
/// <param name="State">The kernel's name of its state: <c>LISTEN</c>, <c>ESTABLISHED</c>, <c>TIME_WAIT</c>…</param>
/// <param name="Explanation">The state in one plain-words line (English).</param>
/// <param name="Local">This end: <c>127.0.0.1:9999</c> or <c>[::1]:9999</c>.</param>
/// <param name="Remote">The other end (<c>0.0.0.0:0</c> for a listening socket).</param>
/// <param name="TxQueue">Bytes sent and not yet acknowledged.</param>
/// <param name="RxQueue">Bytes received and not yet read; for a listening socket, the accept queue length.</param>
/// <param name="AcceptQueue">For a listening socket, the clients waiting for <c>accept()</c>; null for others.</param>
public sealed record KernelSocketRow(
    string State,
    string Explanation,
    string Local,
    string Remote,
    long TxQueue,
    long RxQueue,
    long? AcceptQueue);
