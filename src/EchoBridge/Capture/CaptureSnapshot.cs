namespace EchoBridge.Capture;

/// <summary>An immutable copy of one session's capture, what every export format is written from.</summary>
public sealed record CaptureSnapshot(
    string Key,
    CaptureParties Parties,
    DateTimeOffset StartedAt,
    DateTimeOffset? ClosedAt,
    string? CloseReason,
    bool ClosedByClient,
    IReadOnlyList<CaptureChunk> Chunks,
    CaptureCut? Cut);
