using System.Globalization;

namespace EchoBridge.Client.Stats;

/// <summary>Numbers as people read them, in the page's culture: 1.2 k, 3.4 MB, 1 h 02 m (1,2 k and 3,4 MB in Spanish).</summary>
public static class Units
{
    /// <summary>A count or rate with a k/M suffix.</summary>
    public static string Count(double value) => value switch
    {
        >= 1_000_000 => (value / 1_000_000).ToString("0.0", CultureInfo.CurrentCulture) + " M",
        >= 10_000 => (value / 1_000).ToString("0", CultureInfo.CurrentCulture) + " k",
        >= 1_000 => (value / 1_000).ToString("0.0", CultureInfo.CurrentCulture) + " k",
        _ => value.ToString(value % 1 == 0 ? "0" : "0.0", CultureInfo.CurrentCulture),
    };

    /// <summary>A byte count in B, KB, MB or GB (powers of 1024).</summary>
    public static string Bytes(double value) => value switch
    {
        >= 1L << 30 => (value / (1L << 30)).ToString("0.0", CultureInfo.CurrentCulture) + " GB",
        >= 1 << 20 => (value / (1 << 20)).ToString("0.0", CultureInfo.CurrentCulture) + " MB",
        >= 1 << 10 => (value / (1 << 10)).ToString("0.0", CultureInfo.CurrentCulture) + " KB",
        _ => value.ToString("0", CultureInfo.CurrentCulture) + " B",
    };

    /// <summary>A duration: 42 s, 3 m 05 s, 2 h 07 m, 3 d 4 h.</summary>
    public static string Duration(TimeSpan span) => span switch
    {
        { TotalDays: >= 1 } => string.Create(CultureInfo.CurrentCulture, $"{(int)span.TotalDays} d {span.Hours} h"),
        { TotalHours: >= 1 } => string.Create(CultureInfo.CurrentCulture, $"{(int)span.TotalHours} h {span.Minutes:00} m"),
        { TotalMinutes: >= 1 } => string.Create(CultureInfo.CurrentCulture, $"{(int)span.TotalMinutes} m {span.Seconds:00} s"),
        _ => string.Create(CultureInfo.CurrentCulture, $"{Math.Max(0, (int)span.TotalSeconds)} s"),
    };
}
