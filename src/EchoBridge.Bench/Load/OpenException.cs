namespace EchoBridge.Bench.Load;

/// <summary>A connection of the run could not be opened; the message names which one and why.</summary>
public sealed class OpenException(string message, Exception inner) : Exception(message, inner);
