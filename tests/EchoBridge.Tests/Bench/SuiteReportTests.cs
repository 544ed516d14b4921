extern alias bench;

using System.Text.Json;
using System.Xml.Linq;
using bench::EchoBridge.Bench.Suite;

namespace EchoBridge.Tests.Bench;

/// <summary>The suite's summary, Markdown report, JSON and SVG charts, from figures made up for the purpose.</summary>
public sealed class SuiteReportTests
{
    [Fact]
    public void The_summary_takes_medians_of_clean_runs_and_divides_by_refechos_median_at_the_same_shape()
    {
        var summary = SuiteSummary.From(Result());

        var tcp = summary.Find("echobridge-tcp", "50x64")!;
        Assert.Equal(3, tcp.Runs);
        Assert.Equal(1, tcp.Failed);
        Assert.Equal(85_000, tcp.MsgsPerSecond); // median of the clean 80,000 and 90,000; the failed run is left out
        Assert.Equal(0.85, tcp.Ratio!.Value, 9); // refecho's median is 100,000
        Assert.Equal(1.0, summary.Find("refecho", "50x64")!.Ratio);
        Assert.Equal(0.2, summary.Find("hub-echobridge-json", "50x64")!.Ratio!.Value, 9);
        Assert.Null(summary.Find("hub-echobridge-json", "10x16384"));
        Assert.Equal(["refecho", "echobridge-tcp", "hub-echobridge-json"], summary.Peers);
        Assert.Equal(["50x64", "10x16384"], summary.Shapes);
    }

    [Fact]
    public void The_report_has_the_ratios_the_figures_memory_cold_start_and_what_was_skipped_or_failed()
    {
        var result = Result();
        var report = MarkdownReport.Write(result, SuiteSummary.From(result), ["ratios.svg", "latency-50x64.svg"]);

        Assert.Contains("![ratios](ratios.svg)", report);
        Assert.Contains("| peer | 50 × 64 B | 10 × 16 KiB |", report);
        Assert.Contains("| EchoBridge TCP | 0.85 | 0.90 |", report);
        Assert.Contains("| EchoBridge hub json | 0.20 | - |", report);
        Assert.Contains("| EchoBridge TCP | 50 × 64 B | 85,000 | 0.85 | 5.44 | 100 | 150 | 300 | 97% | 2/3 |", report);
        Assert.Contains("| TCP | 1,000 | 7.5 KiB |", report);
        Assert.Contains("| hub (a bridge session each) | 1,000 | failed | 3 connections were closed |", report);
        Assert.Contains("median **0.450 s** of 3 (min 0.400 s, max 0.500 s)", report);
        Assert.Contains("- websockify → refecho: websockify is not installed", report);
        Assert.Contains("- round 2, EchoBridge TCP at 50 × 64 B: exit code 1: 3 integrity errors", report);
        Assert.Contains("Commit abc1234", report);
    }

    [Fact]
    public void The_charts_are_svg_documents_naming_every_peer_and_shape()
    {
        var result = Result();
        var summary = SuiteSummary.From(result);
        var labels = result.Peers.ToDictionary(p => p.Key, p => p.Label);

        var ratios = XDocument.Parse(SuiteCharts.ToSvg(SuiteCharts.Ratios(summary, ["echobridge-tcp", "hub-echobridge-json"], labels), 4));
        var texts = Texts(ratios);
        Assert.Equal("svg", ratios.Root!.Name.LocalName);
        Assert.Contains("EchoBridge TCP", texts);
        Assert.Contains("EchoBridge hub json", texts);
        Assert.Contains("50 × 64 B", texts); // the legend
        Assert.Contains("10 × 16 KiB", texts);
        Assert.Contains("0.85", texts); // bar labels
        Assert.Contains("0.20", texts);

        var latency = XDocument.Parse(SuiteCharts.ToSvg(SuiteCharts.Latency(summary, "50x64", ["refecho", "echobridge-tcp"], labels), 6));
        texts = Texts(latency);
        Assert.Contains("p50", texts);
        Assert.Contains("p99", texts);
        Assert.Contains("refecho (C)", texts);
        Assert.Contains("300", texts); // EchoBridge TCP's p99
    }

    [Fact]
    public void The_output_folder_gets_the_report_every_runs_figures_and_the_charts()
    {
        var directory = Path.Combine(Path.GetTempPath(), "eb-suite-test-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var result = Result();
            SuiteOutput.Write(result, directory);

            Assert.True(File.Exists(Path.Combine(directory, "report.md")));
            Assert.True(File.Exists(Path.Combine(directory, "ratios.svg")));
            Assert.True(File.Exists(Path.Combine(directory, "latency-50x64.svg")));
            Assert.True(File.Exists(Path.Combine(directory, "latency-10x16384.svg")));
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "suite.json")));
            var runs = json.RootElement.GetProperty("runs");
            Assert.Equal(result.Runs.Count, runs.GetArrayLength());
            Assert.Equal(80_000, runs[3].GetProperty("msgs_per_s").GetDouble());
            Assert.Equal("abc1234", json.RootElement.GetProperty("machine").GetProperty("commit").GetString());
            Assert.Contains("![ratios](ratios.svg)", File.ReadAllText(Path.Combine(directory, "report.md")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_bench_report_becomes_a_run_and_a_failed_one_keeps_its_figures_and_says_why()
    {
        const string json = """{"mode":"tcp","target":"tcp 127.0.0.1:1","connections":2,"size":64,"warmup_seconds":0.1,"measured_seconds":0.3,"messages":3000,"msgs_per_s":10000,"mb_per_s":0.64,"rtt_us":{"p50":50,"p90":60,"p99":70,"p999":80,"max":90,"mean":55},"integrity_errors":2,"lost":0,"late":0,"connection_failures":0,"client_cpu_percent":40,"server_cpu_percent":60,"client_allocated_bytes_per_message":0,"watchers":0,"snapshots_received":0}""";

        var clean = LoadRunner.FromBench(1, "echobridge-tcp", new Shape(2, 64), new LoadRunner.Output(0, "progress\n" + json.Replace("\"integrity_errors\":2", "\"integrity_errors\":0") + "\n", ""));
        Assert.True(clean.Ok);
        Assert.Equal((10000, 0.64, 50, 60, 70, 60), (clean.MsgsPerSecond, clean.MegabytesPerSecond, clean.P50!.Value, clean.P90!.Value, clean.P99!.Value, clean.ServerCpuPercent!.Value));

        var corrupt = LoadRunner.FromBench(1, "echobridge-tcp", new Shape(2, 64), new LoadRunner.Output(1, json, "something\n"));
        Assert.False(corrupt.Ok);
        Assert.Equal(10000, corrupt.MsgsPerSecond);
        Assert.Equal("exit code 1: 2 integrity errors (something)", corrupt.Error);

        var lossy = LoadRunner.FromBench(1, "echobridge-udp", new Shape(2, 64),
            new LoadRunner.Output(1, json.Replace("\"integrity_errors\":2", "\"integrity_errors\":0").Replace("\"lost\":0", "\"lost\":3"), ""));
        Assert.Equal("exit code 1: 3 datagrams lost", lossy.Error);

        var refused = LoadRunner.FromBench(1, "refecho", new Shape(2, 64), new LoadRunner.Output(1, "", "error: tcp 127.0.0.1:1: Connection refused\n"));
        Assert.False(refused.Ok);
        Assert.Equal("exit code 1 (error: tcp 127.0.0.1:1: Connection refused)", refused.Error);
    }

    [Fact]
    public void An_echoload_line_becomes_a_run()
    {
        var run = LoadRunner.FromEchoload(2, "refecho", new Shape(50, 64),
            new LoadRunner.Output(0, "conns=50 size=64 msgs=1000 msgs_per_s=156606 MB_per_s=10.0 p50_us=300 p99_us=900 errors=0\n", ""), 99.5);
        Assert.True(run.Ok);
        Assert.Equal("echoload", run.Load);
        Assert.Equal((156606, 10.0, 300, 900, 99.5), (run.MsgsPerSecond, run.MegabytesPerSecond, run.P50!.Value, run.P99!.Value, run.ServerCpuPercent!.Value));
        Assert.Null(run.P90);

        var broken = LoadRunner.FromEchoload(2, "refecho", new Shape(50, 64), new LoadRunner.Output(1, "", "conn closed by peer\n"), null);
        Assert.False(broken.Ok);
        Assert.Equal("exit code 1 (conn closed by peer)", broken.Error);
    }

    private static IReadOnlyList<string> Texts(XDocument svg) =>
        [.. svg.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim())];

    private static RunRecord Run(int round, string peer, string shape, double rate, bool ok = true) =>
        new(round, peer, shape, "bench", ok, rate, rate * 64 / 1e6, 100, 150, 300, 500, 97, 50, ok ? null : "exit code 1: 3 integrity errors");

    private static SuiteResult Result() => new(
        new SuiteMachine("abc1234", new DateTimeOffset(2026, 12, 3, 11, 0, 0, TimeSpan.Zero), 60, 2, 0.5, ".NET 10"),
        new SuiteConfiguration("EchoBridge.Bench suite --rounds 3", "bench", 3, 10, 2, 10, ["50x64", "10x16384"], [], ["50x64"], [], [],
            ["json"], 1000, 3, [], 0, 1),
        [
            new("refecho", "refecho (C)", "refecho"), new("echobridge-tcp", "EchoBridge TCP", "echobridge"),
            new("hub-echobridge-json", "EchoBridge hub json", "echobridge"), new("websockify", "websockify → refecho", "websockify"),
        ],
        [
            Run(1, "refecho", "50x64", 100_000), Run(2, "refecho", "50x64", 90_000), Run(3, "refecho", "50x64", 110_000),
            Run(1, "echobridge-tcp", "50x64", 80_000), Run(2, "echobridge-tcp", "50x64", 10, ok: false), Run(3, "echobridge-tcp", "50x64", 90_000),
            Run(1, "refecho", "10x16384", 40_000), Run(1, "echobridge-tcp", "10x16384", 36_000),
            Run(1, "hub-echobridge-json", "50x64", 20_000),
        ],
        [
            new("tcp", 1000, true, 7680, 50_000, 57_500, null),
            new("hub", 1000, false, 0, 50_000, 60_000, "3 connections were closed"),
        ],
        [0.4, 0.45, 0.5],
        [new("websockify", "websockify is not installed (apt-get install websockify)")]);
}
