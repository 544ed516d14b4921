namespace EchoBridge.Contracts;

/// <summary>
/// The cluster as the instance that sent the snapshot sees it. <see cref="Instance"/> is that instance's own name;
/// <see cref="Available"/> is false while it cannot reach Redis (then the snapshot lists its own sessions only and
/// <see cref="Instances"/> holds just itself); <see cref="Instances"/> every instance seen lately, up or gone.
/// </summary>
public sealed record ClusterStatus(string Instance, bool Available, IReadOnlyList<InstanceStatus> Instances);
