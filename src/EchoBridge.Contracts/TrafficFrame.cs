namespace EchoBridge.Contracts;

/// <summary>
/// One recorded chunk of a listener session's traffic, for the inspector and the lab's timeline. <see cref="Data"/>
/// holds the chunk's first bytes (<see cref="Truncated"/> when cut); <see cref="Size"/> is how many bytes the read or
/// write really moved (null from servers that do not send it: then <see cref="Data"/>'s length).
/// </summary>
public sealed record TrafficFrame(long Seq, TrafficDirection Direction, byte[] Data, DateTimeOffset At, bool Truncated = false, int? Size = null);
