using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using EchoBridge.Bench.Reporting;

namespace EchoBridge.Bench.Hostile;

/// <summary>The hostile run's report in Markdown (also what the console shows) and its raw figures in JSON.</summary>
public static class HostileReport
{
    /// <summary>The report's file name.</summary>
    public const string ReportFile = "hostile.md";

    /// <summary>The raw figures' file name.</summary>
    public const string JsonFile = "hostile.json";

    /// <summary>Writes both files into <paramref name="directory"/>; returns the report's text.</summary>
    public static string Write(HostileResult result, string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, JsonFile), JsonSerializer.Serialize(result, HostileJsonContext.Default.HostileResult) + "\n");
        var report = Markdown(result);
        File.WriteAllText(Path.Combine(directory, ReportFile), report);
        return report;
    }

    /// <summary>The report for <paramref name="result"/>.</summary>
    public static string Markdown(HostileResult result)
    {
        var m = result.Machine;
        var c = result.Configuration;
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');

        Line("# EchoBridge under hostile clients");
        Line();
        Line($"Commit {m.Commit}, {m.Started:yyyy-MM-dd HH:mm} UTC, {m.Cpus} CPUs, load average {Number(m.LoadAverageBefore, "0.00")} before and "
            + $"{Number(m.LoadAverageAfter, "0.00")} after, {m.Runtime}; took {Format.Seconds(m.Seconds)}. The published server pinned to CPU {c.ServerCpu} "
            + $"under `prlimit --nofile={c.Nofile}:{c.Nofile}`, shipped settings{(c.EchoBridgeArguments.Count > 0 ? $" but `{string.Join(' ', c.EchoBridgeArguments)}`" : "")}, "
            + $"its JSON log file measured. Each phase's clients come and stay for {Seconds(c.PhaseSeconds)}, leave, and the server is watched "
            + $"{Seconds(c.SettleSeconds)} more; /proc/PID sampled every 0.5 s. {c.Veterans} veteran TCP sessions echo a 16-byte line every "
            + $"{c.VeteranIntervalMs:0} ms throughout (2 s to answer).");
        Line();
        Line($"`{c.CommandLine}`");
        if (c.DescriptorLine is not null)
        {
            Line();
            Line($"The server at start: `{c.DescriptorLine}`");
        }

        Line();
        Line("| phase | RSS start → peak → end | CPU mean / max | descriptors peak / end | threads peak | veteran echoes ok / unserved | veteran p99 (max) | refused by the server | log grown |");
        Line("|---|---:|---:|---:|---:|---:|---:|---|---:|");
        foreach (var p in result.Phases)
        {
            var f = p.Figures;
            Line($"| {p.Key} | {Mib(f.RssStartMib)} → {Mib(f.RssPeakMib)} → {Mib(f.RssEndMib)} | {Format.Percent(f.CpuMeanPercent)} / {Format.Percent(f.CpuMaxPercent)} "
                + $"| {Format.Count(f.DescriptorsPeak)} / {Format.Count(f.DescriptorsEnd)} | {f.ThreadsPeak} | {Format.Count(f.VeteransOk)} / {Format.Count(f.VeteransFailed)} "
                + $"| {(f.VeteranP99Ms is { } p99 ? $"{Ms(p99)} ({Ms(f.VeteranMaxMs ?? p99)})" : "-")} | {Counts(p.Refused)} | {Format.Bytes(p.LogBytesGrown)} |");
        }

        Line();
        Line("CPU is percent of one core (the mean over the phase and its settle; the highest over one second); descriptors are "
            + "/proc/PID/fd; the refusals are the growth of `echobridge_connections_refused_total{reason}` over the phase.");
        Line();
        Line("| phase | clients | what became of them | time |");
        Line("|---|---|---|---:|");
        foreach (var p in result.Phases)
        {
            Line($"| {p.Title} | {p.Clients} | {(p.Error is null ? Counts(p.Outcome) : $"**{p.Error}** {Counts(p.Outcome)}")} | {Format.Seconds(p.Seconds)} |");
        }

        Line();
        Line(Verdict(result));
        if (result.VeteranErrors.Count > 0)
        {
            Line();
            Line("Why veteran echoes went unserved (the first few):");
            Line();
            foreach (var error in result.VeteranErrors)
            {
                Line($"- {error}");
            }
        }

        return text.ToString();
    }

    /// <summary>One line: survived and served, or what went wrong.</summary>
    public static string Verdict(HostileResult result)
    {
        var unserved = result.Phases.Sum(p => p.VeteransFailed);
        var served = result.Phases.Sum(p => p.Figures.VeteransOk);
        var failedPhases = result.Phases.Where(p => p.Error is not null).Select(p => p.Key).ToList();
        var verdict = !result.ServerSurvived
            ? $"**The server died** (exit code {result.ServerExitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown"})."
            : unserved > 0
                ? $"**{Format.Count(unserved)} veteran echoes went unserved** ({Format.Count(served)} served)."
                : $"The server survived every phase and served all {Format.Count(served)} veteran echoes.";
        if (failedPhases.Count > 0)
        {
            verdict += $" Phases that did not run cleanly: {string.Join(", ", failedPhases)}.";
        }

        return result.Interrupted ? verdict + " Stopped early (interrupted): the report covers what ran." : verdict;
    }

    /// <summary><c>a 3 · b 2</c>, or <c>-</c> for none.</summary>
    public static string Counts(IReadOnlyDictionary<string, long> counts) =>
        counts.Count == 0 ? "-" : string.Join(" · ", counts.Select(c => $"{c.Key} {Format.Count(c.Value)}"));

    private static string Mib(double value) => value.ToString("0", CultureInfo.InvariantCulture) + " MiB";

    private static string Ms(double value) => value.ToString(value < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " ms";

    private static string Number(double value, string format) => double.IsNaN(value) ? "-" : value.ToString(format, CultureInfo.InvariantCulture);

    private static string Seconds(double value) => value.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}

/// <summary>The hostile run's JSON file, indented, snake_case (source-generated: no reflection).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(HostileResult))]
internal sealed partial class HostileJsonContext : JsonSerializerContext;
