namespace EchoBridge.Client.Console;

/// <summary>What the console appends to a typed line before sending it.</summary>
public enum LineEnding
{
    /// <summary>"\n", what nc and most Unix programs send.</summary>
    Lf,

    /// <summary>"\r\n", what telnet sends (and what the listener's <c>quit</c> also accepts).</summary>
    CrLf,

    /// <summary>Nothing: the bytes exactly as typed.</summary>
    None,
}
