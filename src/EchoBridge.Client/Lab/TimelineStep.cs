using EchoBridge.Contracts;

namespace EchoBridge.Client.Lab;

/// <summary>What one step of a session's life is.</summary>
public enum TimelineStepKind
{
    /// <summary>The server accepted the connection (a UDP peer's first datagram).</summary>
    Accepted,
    /// <summary>The server read bytes from the client.</summary>
    Read,
    /// <summary>The client sent the <c>quit</c> line.</summary>
    Quit,
    /// <summary>The server wrote bytes to the client.</summary>
    Wrote,
    /// <summary>The session ended.</summary>
    Closed,
}

/// <summary>Who closed a session first.</summary>
public enum ClosedBy
{
    /// <summary>Not known (a reason this page does not know).</summary>
    Unknown,
    /// <summary>The client: it closed, sent <c>quit</c>, pressed Ctrl+C or reset the connection.</summary>
    Client,
    /// <summary>The server: idle, stalled, shutting down, or an operator's Disconnect.</summary>
    Server,
}

/// <summary>
/// One step of a session's timeline: when, what, how many bytes, and the lesson's line of Python that does it.
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="At">When.</param>
/// <param name="Size">Bytes read or written (0 for accept and close).</param>
/// <param name="Code">The lesson's line of Python for this step.</param>
/// <param name="Frame">The recorded chunk, for reads and writes.</param>
public sealed record TimelineStep(TimelineStepKind Kind, DateTimeOffset At, long Size, string Code, TrafficFrame? Frame = null);
