namespace EchoBridge.Lab;

/// <summary>One reading of the kernel's TCP tables, filtered to the echo ports. Immutable; a new one each tick.</summary>
/// <param name="At">When it was read.</param>
/// <param name="Unavailable">Why there is no kernel view (not Linux, no <c>/proc/net/tcp</c>); null when there is.</param>
/// <param name="Ports">The echo ports a row's local or remote port was matched against.</param>
/// <param name="Backlog">The listening sockets' backlog: <c>Listener:Backlog</c>, capped by the kernel's <c>somaxconn</c>.</param>
/// <param name="Sockets">The rows, at most <see cref="KernelSocketWatch.MaxRows"/>.</param>
/// <param name="Matched">How many rows matched before the cap.</param>
public sealed record KernelSnapshot(
    DateTimeOffset At,
    string? Unavailable,
    IReadOnlyList<int> Ports,
    int Backlog,
    IReadOnlyList<KernelSocket> Sockets,
    int Matched)
{
    /// <summary>Whether rows were left out to stay within the cap.</summary>
    public bool Truncated => Matched > Sockets.Count;
}
