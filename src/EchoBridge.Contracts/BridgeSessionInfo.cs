namespace EchoBridge.Contracts;

/// <summary>What <c>Open(target)</c> returns: the new bridge session and the two ends of its TCP socket.</summary>
public sealed record BridgeSessionInfo(string SessionId, string Target, string LocalEndPoint, string RemoteEndPoint);
