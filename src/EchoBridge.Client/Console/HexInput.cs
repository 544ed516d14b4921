using System.Globalization;
using System.Resources;

namespace EchoBridge.Client.Console;

/// <summary>
/// Parses what a person types in hex mode: pairs of hex digits, separated or not by spaces, commas, colons or
/// <c>0x</c> prefixes (<c>68 6f 6c 61</c>, <c>686f6c61</c>, <c>0x68,0x6f</c>).
/// </summary>
public static class HexInput
{
    // Its words are in HexInput.resx / HexInput.es.resx, read in the page's CurrentUICulture.
    private static readonly ResourceManager Text = new(typeof(HexInput));

    /// <summary>The bytes of <paramref name="text"/>, or null with <paramref name="error"/> saying what is wrong.</summary>
    public static byte[]? TryParse(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var digits = new List<char>(text.Length);
        var tokens = text.Split([' ', ',', ':', '\t'], StringSplitOptions.RemoveEmptyEntries);
        foreach (var token in tokens)
        {
            var hex = token.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? token[2..] : token;
            foreach (var c in hex)
            {
                if (!char.IsAsciiHexDigit(c))
                {
                    error = string.Format(CultureInfo.CurrentCulture, Word("NotAHexDigit"), c);
                    return null;
                }

                digits.Add(c);
            }
        }

        if (digits.Count == 0)
        {
            error = Word("Empty");
            return null;
        }

        if (digits.Count % 2 != 0)
        {
            error = Word("OddDigits");
            return null;
        }

        var bytes = new byte[digits.Count / 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = byte.Parse(string.Concat(digits[2 * i], digits[(2 * i) + 1]), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }

        error = null;
        return bytes;
    }

    private static string Word(string name) => Text.GetString(name, CultureInfo.CurrentUICulture) ?? name;
}
