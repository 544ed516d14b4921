namespace EchoBridge.Bridge;

/// <summary>
/// A bridge session could not be opened, in words a client may read as they are (an unknown target, a target that
/// refused or did not answer, a limit). Each front door passes them on its own way: a HubException, a WebSocket close.
/// </summary>
public sealed class BridgeRefusedException(string message, BridgeRefusal kind) : Exception(message)
{
    /// <summary>What went wrong, for the front door to pick its status or close code.</summary>
    public BridgeRefusal Kind { get; } = kind;
}

/// <summary>Why a bridge session was not opened.</summary>
public enum BridgeRefusal
{
    /// <summary>The name is not on the allow-list.</summary>
    UnknownTarget,
    /// <summary>The target refused, did not answer, or could not be reached.</summary>
    TargetUnreachable,
    /// <summary>The TLS handshake with the target failed: its certificate was not trusted, or it did not speak TLS in time.</summary>
    TargetTls,
    /// <summary>A limit of the bridge (sessions in all, per connection) was reached.</summary>
    Limit,
}
