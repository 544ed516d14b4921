using System.Globalization;

namespace EchoBridge.Bench.Reporting;

/// <summary>Numbers as the table shows them: invariant culture, thousands separated.</summary>
public static class Format
{
    /// <summary>A count or a rate: <c>52,310</c>.</summary>
    public static string Count(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Two decimals: <c>3.35</c>.</summary>
    public static string Fixed(double value) => value.ToString("N2", CultureInfo.InvariantCulture);

    /// <summary>Microseconds: one decimal below 100, whole above.</summary>
    public static string Micros(double value) =>
        value.ToString(value < 100 ? "N1" : "N0", CultureInfo.InvariantCulture);

    /// <summary>Seconds: <c>10.0 s</c>.</summary>
    public static string Seconds(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    /// <summary>A percentage of one core: <c>97%</c>.</summary>
    public static string Percent(double value) => value.ToString("0", CultureInfo.InvariantCulture) + "%";

    /// <summary>Bytes with a binary unit: <c>64 B</c>, <c>16 KiB</c>, <c>1.5 MiB</c>.</summary>
    public static string Bytes(double value) => value switch
    {
        < 1024 => value.ToString("0", CultureInfo.InvariantCulture) + " B",
        < 1024 * 1024 => (value / 1024).ToString("0.#", CultureInfo.InvariantCulture) + " KiB",
        _ => (value / 1024 / 1024).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
    };
}
