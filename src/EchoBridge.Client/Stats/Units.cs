using System.Globalization;

namespace EchoBridge.Client.Stats;

/// <summary>Numbers as people read them: 1.2 k, 3.4 MB, 1 h 02 m.</summary>
public static class Units
{
    /// <summary>A count or rate with a k/M suffix.</summary>
    public static string Count(double value) => value switch
    {
        >= 1_000_000 => (value / 1_000_000).ToString("0.0", CultureInfo.InvariantCulture) + " M",
        >= 10_000 => (value / 1_000).ToString("0", CultureInfo.InvariantCulture) + " k",
        >= 1_000 => (value / 1_000).ToString("0.0", CultureInfo.InvariantCulture) + " k",
        _ => value.ToString(value % 1 == 0 ? "0" : "0.0", CultureInfo.InvariantCulture),
    };

    /// <summary>A byte count in B, KB, MB or GB (powers of 1024).</summary>
    public static string Bytes(double value) => value switch
    {
        >= 1L << 30 => (value / (1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GB",
        >= 1 << 20 => (value / (1 << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MB",
        >= 1 << 10 => (value / (1 << 10)).ToString("0.0", CultureInfo.InvariantCulture) + " KB",
        _ => value.ToString("0", CultureInfo.InvariantCulture) + " B",
    };

    /// <summary>A duration: 42 s, 3 m 05 s, 2 h 07 m, 3 d 4 h.</summary>
    public static string Duration(TimeSpan span) => span switch
    {
        { TotalDays: >= 1 } => $"{(int)span.TotalDays} d {span.Hours} h",
        { TotalHours: >= 1 } => $"{(int)span.TotalHours} h {span.Minutes:00} m",
        { TotalMinutes: >= 1 } => $"{(int)span.TotalMinutes} m {span.Seconds:00} s",
        _ => $"{Math.Max(0, (int)span.TotalSeconds)} s",
    };
}
