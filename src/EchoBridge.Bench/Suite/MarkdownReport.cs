using System.Globalization;
using System.Text;
using EchoBridge.Bench.Reporting;

namespace EchoBridge.Bench.Suite;

/// <summary>The suite's report in Markdown: how it ran, the charts, the ratios, the figures, memory, cold start, what was skipped or failed.</summary>
public static class MarkdownReport
{
    /// <summary>The report for <paramref name="result"/>, linking <paramref name="charts"/> (files beside it).</summary>
    public static string Write(SuiteResult result, SuiteSummary summary, IReadOnlyList<string> charts)
    {
        var c = result.Configuration;
        var m = result.Machine;
        var labels = result.Peers.ToDictionary(p => p.Key, p => p.Label);
        var idleLabels = Peers.Idle().ToDictionary(p => p.Key, p => p.Label);
        foreach (var (key, label) in idleLabels)
        {
            labels[$"idle-{key}"] = $"memory per idle connection, {label}";
        }

        string Label(string peer) => labels.GetValueOrDefault(peer, peer);
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');

        Line("# EchoBridge benchmark suite");
        Line();
        Line($"Commit {m.Commit}, {m.Started:yyyy-MM-dd HH:mm} UTC, {m.Cpus} CPUs, load average {Number(m.LoadAverageBefore, "0.00")} before the "
            + $"start, {m.Runtime}; took {Format.Seconds(m.Seconds)}. Servers pinned to CPU {c.ServerCpu}, the load to CPU {c.LoadCpu}, "
            + $"loopback. Load: {(c.Load == "echoload" ? "echoload for refecho and EchoBridge TCP, EchoBridge.Bench for the rest" : "EchoBridge.Bench")}. "
            + $"{c.Rounds} round(s), each run {Seconds(c.DurationSeconds)} measured after {Seconds(c.WarmupSeconds)} warmup; .NET servers "
            + $"warmed up {Seconds(c.ServerWarmupSeconds)} after each start; peers in turns, their order reversed every other round. "
            + "Figures are medians of the clean runs; ratios divide by refecho's median msgs/s at the same shape.");
        Line();
        Line($"`{c.CommandLine}`");
        Line();
        foreach (var chart in charts)
        {
            Line($"![{Path.GetFileNameWithoutExtension(chart)}]({chart})");
            Line();
        }

        Line("## msgs/s × refecho");
        Line();
        Line($"| peer | {string.Join(" | ", summary.Shapes.Select(ShapeLabel))} |");
        Line($"|---|{string.Concat(summary.Shapes.Select(_ => "---:|"))}");
        foreach (var peer in summary.Peers)
        {
            Line($"| {Label(peer)} | {string.Join(" | ", summary.Shapes.Select(s => Number(summary.Find(peer, s)?.Ratio, "0.00")))} |");
        }

        Line();
        Line("## Figures");
        Line();
        Line("| peer | shape | msgs/s | × refecho | MB/s | p50 µs | p90 µs | p99 µs | server CPU | runs |");
        Line("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var cell in summary.Cells)
        {
            Line($"| {Label(cell.Peer)} | {ShapeLabel(cell.Shape)} | {Number(cell.MsgsPerSecond, "N0")} | {Number(cell.Ratio, "0.00")} "
                + $"| {Number(cell.MegabytesPerSecond, "N2")} | {Micros(cell.P50)} | {Micros(cell.P90)} | {Micros(cell.P99)} "
                + $"| {(cell.ServerCpuPercent is { } cpu ? Format.Percent(cpu) : "-")} | {cell.Runs - cell.Failed}/{cell.Runs} |");
        }

        Line();
        Line("Server CPU is the share of one core the server used while measured: with 50 or more connections a server well below 100% "
            + "was starved by other work on the machine or waiting on the load, and its ratio says more about scheduling than about it.");

        var watched = c.WatchedShapes.Where(s => summary.Find("echobridge-tcp-watched", s) is not null).ToList();
        if (watched.Count > 0)
        {
            Line();
            Line("## A dashboard watching");
            Line();
            Line("EchoBridge's TCP again while one dashboard holds a `Watch` stream open (`--watchers 1`), in the same rounds.");
            Line();
            Line("| shape | msgs/s unwatched | msgs/s watched | watched / unwatched |");
            Line("|---|---:|---:|---:|");
            foreach (var shape in watched)
            {
                var plain = summary.Find("echobridge-tcp", shape)?.MsgsPerSecond;
                var seen = summary.Find("echobridge-tcp-watched", shape)?.MsgsPerSecond;
                Line($"| {ShapeLabel(shape)} | {Number(plain, "N0")} | {Number(seen, "N0")} | {Number(Statistics.Ratio(seen, plain), "0.00")} |");
            }
        }

        if (result.Idle.Count > 0)
        {
            Line();
            Line("## Memory per idle connection");
            Line();
            Line("EchoBridge's resident memory (VmRSS) growth over N connections each of which exchanged one message, read on a warm "
                + "server (the bench's `idle` mode; a fresh EchoBridge for each front door). Kernel socket buffers are not in it.");
            Line();
            Line("| front door | connections | per connection | RSS before → after |");
            Line("|---|---:|---:|---:|");
            foreach (var idle in result.Idle)
            {
                Line(idle.Ok
                    ? $"| {idleLabels.GetValueOrDefault(idle.FrontDoor, idle.FrontDoor)} | {idle.Connections:N0} | {Format.Bytes(idle.BytesPerConnection)} | {Format.Bytes(idle.RssBeforeKib * 1024.0)} → {Format.Bytes(idle.RssAfterKib * 1024.0)} |"
                    : $"| {idleLabels.GetValueOrDefault(idle.FrontDoor, idle.FrontDoor)} | {idle.Connections:N0} | failed | {idle.Error} |");
            }
        }

        if (result.ColdStartSeconds.Count > 0)
        {
            var cold = result.ColdStartSeconds;
            Line();
            Line("## Cold start");
            Line();
            Line($"EchoBridge from spawn to its TCP echo port accepting a connection: median **{Number(Statistics.Median(cold), "0.000")} s** "
                + $"of {cold.Count} (min {Number(cold.Min(), "0.000")} s, max {Number(cold.Max(), "0.000")} s).");
        }

        if (result.Skipped.Count > 0)
        {
            Line();
            Line("## Skipped");
            Line();
            foreach (var skipped in result.Skipped)
            {
                Line($"- {Label(skipped.Peer)}: {skipped.Reason}");
            }
        }

        var failed = result.Runs.Where(r => !r.Ok).ToList();
        if (failed.Count > 0)
        {
            Line();
            Line("## Failed runs");
            Line();
            foreach (var run in failed)
            {
                Line($"- round {run.Round}, {Label(run.Peer)} at {ShapeLabel(run.Shape)}: {run.Error}");
            }
        }

        return text.ToString();
    }

    private static string ShapeLabel(string shape) => Shape.Parse(shape, out _)?.Label ?? shape;

    private static string Number(double? value, string format) =>
        value is { } v && !double.IsNaN(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    private static string Micros(double? value) => value is { } v ? Format.Micros(v) : "-";

    private static string Seconds(double value) => value.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
