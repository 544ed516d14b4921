using EchoBridge.Contracts;

namespace EchoBridge.Cluster;

/// <summary>
/// The cluster as this instance last read it (immutable; <see cref="ClusterFeed"/> replaces it each tick):
/// <see cref="Available"/> false while Redis cannot be reached; <see cref="Instances"/> this one and every other seen
/// lately, up or gone; <see cref="RemoteSessions"/> the sessions the other instances that are up last published.
/// </summary>
public sealed record ClusterView(bool Available, IReadOnlyList<InstanceStatus> Instances, IReadOnlyList<SessionSummary> RemoteSessions);
