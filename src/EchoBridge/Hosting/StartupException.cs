namespace EchoBridge.Hosting;

/// <summary>A start-up failure whose message alone tells the operator what to fix (no stack trace is shown).</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
