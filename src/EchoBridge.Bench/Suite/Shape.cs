using System.Globalization;
using System.Text.RegularExpressions;

namespace EchoBridge.Bench.Suite;

/// <summary>A load shape: <c>CONNECTIONSxBYTES</c>, like <c>50x64</c> (50 connections, 64-byte messages).</summary>
public readonly partial record struct Shape(int Connections, int Size)
{
    /// <summary>Parses <c>50x64</c>; null with the reason in <paramref name="error"/> when it is not one.</summary>
    public static Shape? Parse(string text, out string? error)
    {
        var match = Pattern().Match(text);
        if (match.Success
            && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var connections)
            && int.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            && connections is >= 1 and <= 100_000 && size is >= 2 and <= 16 << 20)
        {
            error = null;
            return new Shape(connections, size);
        }

        error = $"a shape is CONNECTIONSxBYTES (1-100000 connections of 2 bytes to 16 MiB, like 50x64), not '{text}'";
        return null;
    }

    /// <summary>As written on the command line and in the JSON: <c>50x64</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Connections}x{Size}");

    /// <summary>As the report shows it: <c>50 × 64 B</c>, <c>10 × 16 KiB</c>.</summary>
    public string Label => $"{Connections} × {Reporting.Format.Bytes(Size)}";

    [GeneratedRegex("^([0-9]+)x([0-9]+)$")]
    private static partial Regex Pattern();
}
