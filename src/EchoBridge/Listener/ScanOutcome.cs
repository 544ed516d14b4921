namespace EchoBridge.Listener;

/// <summary>What the scanner found in a buffer besides bytes to echo.</summary>
public enum ScanOutcome
{
    /// <summary>Everything was echoed; keep reading.</summary>
    Continue,
    /// <summary>A line that is exactly <c>quit</c> ended; it was echoed and nothing after it was.</summary>
    Quit,
    /// <summary>Telnet IAC IP (Ctrl+C); nothing after it was echoed.</summary>
    Interrupt,
}
