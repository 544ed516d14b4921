using EchoBridge.Contracts;

namespace EchoBridge.Cluster;

/// <summary>
/// One message on an instance's inbox channel: a routed action (<c>disconnect</c>, <c>inspect</c>, <c>stop</c>) or the
/// owner's answer to one (<c>reply</c>; <c>frames</c>, a batch of an inspection's traffic). <see cref="RequestId"/>
/// pairs an answer with its request at <see cref="From"/>.
/// </summary>
public sealed record ClusterMessage(
    string Kind,
    string From,
    long RequestId,
    long SessionId = 0,
    string? Error = null,
    IReadOnlyList<TrafficFrame>? Frames = null,
    bool Ended = false);

/// <summary>The kinds of <see cref="ClusterMessage"/>.</summary>
public static class ClusterMessageKind
{
    /// <summary>End a listener session.</summary>
    public const string Disconnect = "disconnect";

    /// <summary>Start streaming a listener session's traffic back.</summary>
    public const string Inspect = "inspect";

    /// <summary>The inspecting side has stopped reading.</summary>
    public const string Stop = "stop";

    /// <summary>The answer to a <see cref="Disconnect"/>.</summary>
    public const string Reply = "reply";

    /// <summary>A batch of an inspection's traffic (sent at least every couple of seconds, empty when quiet).</summary>
    public const string Frames = "frames";
}
