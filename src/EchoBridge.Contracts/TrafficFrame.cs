namespace EchoBridge.Contracts;

/// <summary>One recorded chunk of a listener session's traffic, for the inspector.</summary>
public sealed record TrafficFrame(long Seq, TrafficDirection Direction, byte[] Data, DateTimeOffset At, bool Truncated = false);
