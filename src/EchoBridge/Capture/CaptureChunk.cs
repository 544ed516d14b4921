using EchoBridge.Contracts;

namespace EchoBridge.Capture;

/// <summary>One recorded chunk of a capture snapshot: when, which way, its bytes (a slice of the snapshot's copy).</summary>
public readonly record struct CaptureChunk(DateTimeOffset At, TrafficDirection Direction, ReadOnlyMemory<byte> Data);

/// <summary>Where and why a capture stopped storing bytes, and what it did not store after that.</summary>
public sealed record CaptureCut(DateTimeOffset At, string Reason, long DroppedBytesIn, long DroppedBytesOut, long DroppedChunks);
