namespace EchoBridge.Bench.Load;

/// <summary>How one round trip ended.</summary>
public enum EchoOutcome
{
    /// <summary>The echo matched what was sent, byte for byte.</summary>
    Intact,
    /// <summary>The echo came back different (a byte, the length, or a frame out of order).</summary>
    Corrupt,
    /// <summary>No echo came back in time (UDP).</summary>
    Lost,
}
