using System.Globalization;
using System.Text;

namespace EchoBridge.Hosting;

/// <summary>
/// Makes text safe to log: cut to a short length and with control characters escaped (<c>\n</c>, <c>\0</c>,
/// <c>\u001B</c>…), so a client can neither flood a log with its text nor forge lines in it. Every string a client
/// chose that reaches a log goes through <see cref="Client"/>; <see cref="LogTextEnricher"/> applies the looser
/// <see cref="AnyMax"/> to every other string property, third-party ones included.
/// </summary>
public static class LogText
{
    /// <summary>The most characters of a client's text a log event keeps.</summary>
    public const int ClientMax = 64;

    /// <summary>The most characters any string property keeps (paths, addresses, messages).</summary>
    public const int AnyMax = 256;

    /// <summary>A client's text, ready to log: at most <see cref="ClientMax"/> characters, control characters escaped.</summary>
    public static string Client(string? text) => Safe(text, ClientMax);

    /// <summary>
    /// <paramref name="text"/> with control characters escaped and cut to <paramref name="max"/> characters (the cut
    /// says how long the text was). Returns the text itself when it needs neither, so the common case allocates nothing.
    /// </summary>
    public static string Safe(string? text, int max)
    {
        if (text is null)
        {
            return "";
        }

        if (text.Length <= max && !NeedsEscaping(text))
        {
            return text;
        }

        var builder = new StringBuilder(Math.Min(text.Length, max));
        var used = 0;
        for (; used < text.Length; used++)
        {
            var c = text[used];
            var escape = IsUnsafe(c) ? Escape(c) : null;
            var length = escape?.Length ?? (char.IsHighSurrogate(c) ? 2 : 1); // never split a surrogate pair
            if (builder.Length + length > max)
            {
                break;
            }

            if (escape is null)
            {
                builder.Append(c);
            }
            else
            {
                builder.Append(escape);
            }
        }

        return used == text.Length
            ? builder.ToString()
            : string.Create(CultureInfo.InvariantCulture, $"{builder}… ({text.Length} chars)");
    }

    private static bool NeedsEscaping(string text)
    {
        foreach (var c in text)
        {
            if (IsUnsafe(c))
            {
                return true;
            }
        }

        return false;
    }

    // C0 and C1 controls, DEL, and the Unicode line and paragraph separators (a new line to some log viewers).
    private static bool IsUnsafe(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';

    private static string Escape(char c) => c switch
    {
        '\0' => "\\0",
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        _ => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
    };
}
