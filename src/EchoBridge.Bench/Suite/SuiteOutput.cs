using System.Text.Json;

namespace EchoBridge.Bench.Suite;

/// <summary>Writes a suite run's files: <c>report.md</c>, <c>suite.json</c> (every run's raw figures) and the SVG charts.</summary>
public static class SuiteOutput
{
    /// <summary>The report's file name.</summary>
    public const string ReportFile = "report.md";

    /// <summary>The raw figures' file name.</summary>
    public const string JsonFile = "suite.json";

    /// <summary>Writes everything into <paramref name="directory"/> (created if need be); returns the report's text.</summary>
    public static string Write(SuiteResult result, string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, JsonFile), JsonSerializer.Serialize(result, SuiteJsonContext.Default.SuiteResult) + "\n");
        var summary = SuiteSummary.From(result);
        var charts = SuiteCharts.Write(result, summary, directory);
        var report = MarkdownReport.Write(result, summary, charts);
        File.WriteAllText(Path.Combine(directory, ReportFile), report);
        return report;
    }
}
