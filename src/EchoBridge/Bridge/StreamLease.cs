namespace EchoBridge.Bridge;

/// <summary>One running stream of a hub connection, counted against its limit until disposed.</summary>
public sealed class StreamLease : IDisposable
{
    private BridgeConnection? _connection;

    internal StreamLease(BridgeConnection connection) => _connection = connection;

    /// <inheritdoc />
    public void Dispose() => Interlocked.Exchange(ref _connection, null)?.ReleaseStream();
}
