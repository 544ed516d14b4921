namespace EchoBridge.Client.Console;

/// <summary>The bytes each <see cref="LineEnding"/> stands for.</summary>
public static class LineEndings
{
    /// <summary>The text of <paramref name="ending"/>.</summary>
    public static string Text(this LineEnding ending) => ending switch
    {
        LineEnding.Lf => "\n",
        LineEnding.CrLf => "\r\n",
        _ => string.Empty,
    };
}
