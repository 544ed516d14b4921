namespace EchoBridge.Contracts;

/// <summary>
/// What <c>WatchKernel()</c> streams twice a second: the kernel's TCP sockets on the echo ports, both ends of loopback
/// connections included. Bounded: at most 500 rows; <see cref="Truncated"/> says when more matched.
/// </summary>
/// <param name="At">When the kernel's tables were read.</param>
/// <param name="Unavailable">Why there is no kernel view (not Linux); null when there is one.</param>
/// <param name="Ports">The echo ports shown.</param>
/// <param name="Backlog">The listening sockets' backlog (<c>Listener:Backlog</c>, capped by the kernel's <c>somaxconn</c>).</param>
/// <param name="AcceptPaused">Whether the listener's accepting is paused (the backlog experiment).</param>
/// <param name="Sockets">The rows.</param>
/// <param name="Matched">How many rows matched before the cap.</param>
/// <param name="Truncated">Whether rows were left out.</param>
public sealed record KernelView(
    DateTimeOffset At,
    string? Unavailable,
    IReadOnlyList<int> Ports,
    int Backlog,
    bool AcceptPaused,
    IReadOnlyList<KernelSocketRow> Sockets,
    int Matched,
    bool Truncated);
