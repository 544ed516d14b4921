namespace EchoBridge.Bench.Load;

/// <summary>The server or the bridge ended a connection that the bench still needed (closed it, or ended the stream).</summary>
public sealed class EchoException(string message) : Exception(message);
