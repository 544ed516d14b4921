namespace EchoBridge.Bench.Suite;

/// <summary>The few statistics the suite reports: medians of rounds, ratios to the C ceiling, percentiles of tries.</summary>
public static class Statistics
{
    /// <summary>The median; null for no values. An even count gives the mean of the middle two.</summary>
    public static double? Median(IEnumerable<double> values) => Percentile(values, 50);

    /// <summary>
    /// The <paramref name="percent"/>th percentile by linear interpolation between closest ranks (the method of
    /// spreadsheets and numpy's default); null for no values.
    /// </summary>
    public static double? Percentile(IEnumerable<double> values, double percent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        var rank = percent / 100 * (sorted.Length - 1);
        var lower = (int)Math.Floor(rank);
        var upper = (int)Math.Ceiling(rank);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - lower);
    }

    /// <summary><paramref name="value"/> / <paramref name="reference"/>; null when either is missing or the reference is not above 0.</summary>
    public static double? Ratio(double? value, double? reference) =>
        value is { } v && reference is { } r && r > 0 ? v / r : null;
}
