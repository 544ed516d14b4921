extern alias bench;

using System.Text.Json;
using bench::EchoBridge.Bench.Hostile;

namespace EchoBridge.Tests.Bench;

/// <summary>The hostile mode's parsing (/proc, Prometheus text, the command line) and its figures and report, from made-up inputs.</summary>
public sealed class HostileReportTests
{
    [Fact]
    public void Proc_stat_and_status_give_cpu_seconds_rss_and_threads_even_with_a_command_name_holding_spaces_and_parentheses()
    {
        const string Stat = "4242 (Echo (Bridge) x) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 125 0 0 20 0 17 0 100 2000000 30000 ...";
        Assert.Equal(3.75, ProcSample.ParseStatCpuSeconds(Stat), 9); // (250 + 125) ticks of 1/100 s

        var (rss, threads) = ProcSample.ParseStatus("Name:\tEchoBridge\nVmPeak:\t  999 kB\nVmRSS:\t   51234 kB\nThreads:\t17\nSigQ:\t0/1\n");
        Assert.Equal(51234, rss);
        Assert.Equal(17, threads);
        Assert.Throws<FormatException>(() => ProcSample.ParseStatus("Name:\tzombie\nThreads:\t1\n"));
    }

    [Fact]
    public void Refusals_are_read_by_reason_from_the_prometheus_text_and_their_growth_is_what_grew()
    {
        const string Before = """
            # HELP echobridge_connections_refused_total Clients refused
            # TYPE echobridge_connections_refused_total counter
            echobridge_connections_refused_total{otel_scope_name="EchoBridge",reason="connection limit reached"} 10 1733230000000
            echobridge_connections_refused_total{reason="rate limit"} 5
            echobridge_sessions_total{kind="tcp"} 99
            """;
        const string After = """
            echobridge_connections_refused_total{otel_scope_name="EchoBridge",reason="connection limit reached"} 1210 1733230005000
            echobridge_connections_refused_total{reason="rate limit"} 5
            echobridge_connections_refused_total{reason="a \"quoted\" reason"} 2
            """;

        var before = RefusalCounts.Parse(Before);
        Assert.Equal(new Dictionary<string, double> { ["connection limit reached"] = 10, ["rate limit"] = 5 }, before);
        var delta = RefusalCounts.Delta(before, RefusalCounts.Parse(After));
        Assert.Equal(new Dictionary<string, long> { ["a \"quoted\" reason"] = 2, ["connection limit reached"] = 1200 }, delta);
        Assert.Empty(RefusalCounts.Delta(null, null));
    }

    [Fact]
    public void A_phase_takes_its_own_samples_cpu_between_samples_and_the_veterans_echoes_of_its_time()
    {
        ProcSample[] samples =
        [
            new(0, 0.0, 100 * 1024, 1.00, 300, 15),
            new(0, 0.5, 102 * 1024, 1.05, 300, 15),
            new(1, 1.0, 150 * 1024, 1.30, 900, 17), // the step into phase 1 counts for it
            new(1, 1.5, 180 * 1024, 1.35, 1200, 18),
            new(1, 2.5, 120 * 1024, 1.45, 320, 16),
            new(2, 3.0, 121 * 1024, 1.45, 320, 16),
        ];
        VeteranEcho[] echoes = [new(0, true, 1), new(1, true, 2), new(1, true, 4), new(1, false, 2000), new(2, true, 1)];

        var figures = PhaseFigures.From(1, samples, echoes);

        Assert.Equal(3, figures.Samples);
        Assert.Equal((150.0, 180.0, 120.0), (figures.RssStartMib, figures.RssPeakMib, figures.RssEndMib));
        Assert.Equal(20.0, figures.CpuMeanPercent); // 0.40 s of CPU over 2.0 s
        Assert.Equal(30.0, figures.CpuMaxPercent); // the highest over two intervals: 0.30 s from 0.0 to 1.0 s (0.25 s in the last half alone)
        Assert.Equal((1200, 320, 18), (figures.DescriptorsPeak, figures.DescriptorsEnd, figures.ThreadsPeak));
        Assert.Equal((2L, 1L), (figures.VeteransOk, figures.VeteransFailed));
        Assert.Equal(3.98, figures.VeteranP99Ms); // of the served ones: 2 and 4 ms
        Assert.Equal(4, figures.VeteranMaxMs);

        var empty = PhaseFigures.From(7, samples, echoes);
        Assert.Equal((0, 0L, (double?)null), (empty.Samples, empty.VeteransOk, empty.VeteranP99Ms));
    }

    [Fact]
    public void The_report_has_a_row_per_phase_what_became_of_the_clients_and_the_verdict_and_the_json_has_every_figure()
    {
        var result = Result(died: false, unserved: 0);
        var directory = Directory.CreateTempSubdirectory("eb-hostile-report-");
        try
        {
            var report = HostileReport.Write(result, directory.FullName);

            Assert.Contains("under `prlimit --nofile=2048:2048`", report);
            Assert.Contains("The server at start: `Descriptors: limit 2048", report);
            Assert.Contains("| connection-flood | 110 MiB → 131 MiB → 125 MiB | 12% / 40% | 1,020 / 330 | 17 | 250 / 0 | 3.2 ms (12 ms) "
                + "| connection limit reached 2,100 | 1.5 MiB |", report);
            Assert.Contains("| baseline | 100 MiB → 101 MiB → 101 MiB | 1% / 4% | 330 / 330 | 15 | 20 / 0 | - | - | 0 B |", report);
            Assert.Contains("| (a) flood | 3,072 TCP connections | admitted 970 · turned away 2,102 | 40.0 s |", report);
            Assert.Contains("The server survived every phase and served all 270 veteran echoes.", report);
            Assert.Equal(report, File.ReadAllText(Path.Combine(directory.FullName, HostileReport.ReportFile)));

            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory.FullName, HostileReport.JsonFile)));
            var flood = json.RootElement.GetProperty("phases")[1];
            Assert.Equal("connection-flood", flood.GetProperty("key").GetString());
            Assert.Equal(2100, flood.GetProperty("refused").GetProperty("connection limit reached").GetInt64());
            Assert.Equal(131, flood.GetProperty("figures").GetProperty("rss_peak_mib").GetDouble());
            Assert.True(json.RootElement.GetProperty("server_survived").GetBoolean());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_verdict_says_when_the_server_died_or_a_veteran_went_unserved()
    {
        Assert.False(Result(died: true, unserved: 0).Ok);
        Assert.StartsWith("**The server died** (exit code 134).", HostileReport.Verdict(Result(died: true, unserved: 0)));
        var unserved = Result(died: false, unserved: 3);
        Assert.False(unserved.Ok);
        Assert.StartsWith("**3 veteran echoes went unserved** (270 served).", HostileReport.Verdict(unserved));
        Assert.Contains("- a veteran's echo was not back within 2 s", HostileReport.Markdown(unserved));
        Assert.True(Result(died: false, unserved: 0).Ok);
    }

    [Fact]
    public void The_refused_calls_name_holds_nuls_a_forged_line_and_an_escape_and_has_the_length_asked_for()
    {
        var name = RefusedHubCalls.HostileName(2048);
        Assert.Equal(2048, name.Length);
        Assert.Equal(3, name.Count(c => c == '\0'));
        Assert.Contains("\r\n[12:00:00 ERR] forged line \u001b[31m", name);
        Assert.Equal("evil", RefusedHubCalls.HostileName(4));
    }

    [Fact]
    public void Hostile_clients_come_from_their_own_loopback_addresses_a_block_each()
    {
        Assert.Equal("127.0.0.10", LoopbackSources.Of(0, 500).ToString());
        Assert.Equal("127.0.0.11", LoopbackSources.Of(500, 500).ToString());
        Assert.Equal("127.0.0.14", LoopbackSources.Of(89, 90, offset: 4).ToString());
        Assert.Equal(13, LoopbackSources.AddressesFor(6144, 500));
        Assert.Equal(0, LoopbackSources.AddressesFor(0, 500));
    }

    [Fact]
    public void The_descriptor_line_is_found_in_the_servers_console_without_its_timestamp()
    {
        const string Console = "[14:00:00 INF] EchoBridge.Hosting.ResourceBudget: Descriptors: limit 1024 (soft limit was 1024), 115 in reserve\n[14:00:01 INF] Now listening";
        Assert.Equal("Descriptors: limit 1024 (soft limit was 1024), 115 in reserve", HostileServer.DescriptorLine(Console));
        Assert.Null(HostileServer.DescriptorLine("nothing here\n"));
    }

    [Fact]
    public void The_command_line_fills_in_the_defaults_and_quick_and_derives_the_flood_from_the_descriptor_limit()
    {
        var program = typeof(HostileReportTests).Assembly.Location;

        var (settings, error) = new HostileCommand().Parse(["--echobridge", program, "-o", "/tmp/x"]);
        Assert.Null(error);
        Assert.Equal((4096, 6144, 10_100, 1000, 300, 1024, 20_000), (settings!.Nofile, settings.FloodConnections, settings.UdpDatagrams,
            settings.StalledReaders, settings.HubConnections, settings.WebSockets, settings.RefusedCalls));
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10)), (settings.PhaseDuration, settings.Settle));
        Assert.Empty(settings.EchoBridgeArguments);

        var (quick, _) = new HostileCommand().Parse(["--echobridge", program, "-o", "/tmp/x", "--quick", "--nofile", "1000", "--stalled", "0",
            "--echobridge-arg=--Listener:StallTimeoutSeconds=5"]);
        Assert.Equal((1500, 2000, 0, 60, TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(2)),
            (quick!.FloodConnections, quick.UdpDatagrams, quick.StalledReaders, quick.HubConnections, quick.PhaseDuration, quick.Settle));
        Assert.Equal(["--Listener:StallTimeoutSeconds=5"], quick.EchoBridgeArguments);
        Assert.DoesNotContain(HostileRunner.Phases(quick), p => p.Key == "stalled-readers");
        Assert.Equal(["connection-flood", "udp-flood", "bridge-flood", "refused-calls"], HostileRunner.Phases(quick).Select(p => p.Key));
    }

    [Fact]
    public void Every_wrong_value_is_named_in_one_line_and_nothing_runs()
    {
        var program = typeof(HostileReportTests).Assembly.Location;

        var (settings, error) = new HostileCommand().Parse(["--echobridge", "/no/such/echobridge", "-o", "/tmp/x", "--nofile", "10",
            "--phase-seconds", "0", "--flood", "200000", "--hub-sessions", "0"]);

        Assert.Null(settings);
        Assert.Equal(
            [
                "--echobridge: no such file: /no/such/echobridge",
                "--nofile must be between 256 and 1048576",
                "--phase-seconds must be between 1 and 3600",
                "--flood must be between 0 and 120000 (500 a loopback address)",
                "--hub-sessions must be between 1 and 64",
            ],
            error!.Split("\nerror: "));
        Assert.Contains("--echobridge", new HostileCommand().Parse(["-o", "/tmp/x"]).Error);
        Assert.Contains("'x'", new HostileCommand().Parse(["--echobridge", program, "--nofile", "x"]).Error);
    }

    private static HostileResult Result(bool died, int unserved)
    {
        static PhaseFigures Figures(double start, double peak, double end, double cpu, double max, int fds, int fdsEnd, int threads, long ok, long failed,
            double? p99, double? slowest) => new(10, start, peak, end, cpu, max, fds, fdsEnd, threads, ok, failed, p99, slowest);
        PhaseResult[] phases =
        [
            new("baseline", "baseline: the veterans alone", "none: the veterans alone", new Dictionary<string, long>(), 5,
                Figures(100, 101, 101, 1, 4, 330, 330, 15, 20, 0, null, null), new Dictionary<string, long>(), 0, null),
            new("connection-flood", "(a) flood", "3,072 TCP connections", new Dictionary<string, long> { ["admitted"] = 970, ["turned away"] = 2102 }, 40,
                Figures(110, 131, 125, 12, 40, 1020, 330, 17, 250, unserved, 3.2, 12), new Dictionary<string, long> { ["connection limit reached"] = 2100 },
                1536 * 1024, null),
        ];
        return new HostileResult(
            new HostileMachine("abc1234", new DateTimeOffset(2026, 12, 3, 14, 0, 0, TimeSpan.Zero), 45, 2, 3.5, 4.1, ".NET 10.0.0"),
            new HostileConfiguration("EchoBridge.Bench hostile --nofile 2048", 2048, 30, 10, 0, 4, 200, [], "Descriptors: limit 2048 (soft limit was 2048)"),
            phases, !died, died ? 134 : null, unserved > 0 ? ["a veteran's echo was not back within 2 s"] : [], Interrupted: false);
    }
}
