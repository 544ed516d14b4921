namespace EchoBridge.Contracts;

/// <summary>What the server may call on a connected client (the strongly typed hub's client side).</summary>
public interface IBridgeClient
{
    /// <summary>A bridge session of this connection ended outside of a <c>Receive</c> stream (e.g. server shutdown).</summary>
    Task SessionClosed(string sessionId, string reason);
}
