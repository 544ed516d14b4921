namespace EchoBridge.Contracts;

/// <summary>
/// One chunk of what a bridge target sent, in order. <see cref="Seq"/> starts at 1 and grows by one per frame.
/// The last frame of a stream carries <see cref="Closed"/>: why the target side ended (its data may be empty).
/// </summary>
public sealed record BridgeFrame(long Seq, byte[] Data, DateTimeOffset At, string? Closed = null);
