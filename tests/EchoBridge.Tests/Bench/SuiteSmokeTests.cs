extern alias bench;

using System.Diagnostics;
using System.Text.Json;
using bench::EchoBridge.Bench.Suite;
using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Bench;

/// <summary>
/// The whole suite against the real programs in a seconds-long configuration: the built EchoBridge and bench beside
/// the tests, refecho compiled from shared/bench with cc, the SignalR ceiling built from bench/ceiling, and websockify
/// when it is installed (the report then lists it as skipped, which the test checks as well). The figures
/// are not asserted (a test machine is no bench machine); that every peer ran and the output was written is.
/// </summary>
public sealed class SuiteSmokeTests(SuiteSmokeTests.Programs programs) : IClassFixture<SuiteSmokeTests.Programs>
{
    private static readonly TimeSpan SuiteTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Every_peer_runs_and_the_report_json_and_charts_are_written()
    {
        var output = TempDirectory("smoke");
        try
        {
            // 1 s runs: on a loaded machine a fresh hub client's first echo can take longer than a shorter window.
            var settings = Settings(output, duration: 1) with { IdleConnections = 20, IdleWarmRounds = 1, ColdStarts = 1 };

            var exitCode = await SuiteCommand.RunAsync(settings, CancellationToken.None).Within(SuiteTimeout);

            var json = File.ReadAllText(Path.Combine(output, SuiteOutput.JsonFile));
            // 1 is a run that failed (a datagram lost on a busy machine, say): its figures still count as having run.
            Assert.True(exitCode is 0 or 1, $"exit code {exitCode}; {json}");
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var skipped = root.GetProperty("skipped").EnumerateArray().Select(s => s.GetProperty("peer").GetString()).ToHashSet();
            var ran = root.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("peer").GetString()).ToHashSet();
            var peers = root.GetProperty("peers").EnumerateArray().Select(p => p.GetProperty("key").GetString()).ToList();
            Assert.Equal(peers.Where(p => !skipped.Contains(p)).Order(), ran.Order());
            Assert.Contains("hub-ceiling-messagepack-nowait-x5", ran);
            Assert.Contains("echobridge-udp", ran);
            Assert.Contains("echobridge-tcp-watched", ran);
            Assert.Contains("echobridge-websocket", ran);
            Assert.Equal(programs.ForSuite.Websockify is null, skipped.Contains("websockify"));
            Assert.All(root.GetProperty("runs").EnumerateArray(), r => Assert.True(r.GetProperty("msgs_per_s").GetDouble() > 0, r.ToString()));
            Assert.Equal(["tcp", "hub", "websocket"], root.GetProperty("idle").EnumerateArray().Select(i => i.GetProperty("front_door").GetString()));
            Assert.Equal(1, root.GetProperty("cold_start_seconds").GetArrayLength());

            var report = File.ReadAllText(Path.Combine(output, SuiteOutput.ReportFile));
            Assert.Contains("![ratios](ratios.svg)", report);
            Assert.Contains("## Memory per idle connection", report);
            Assert.Contains("## Cold start", report);
            Assert.StartsWith("<?xml", File.ReadAllText(Path.Combine(output, SuiteCharts.RatiosFile)));
            Assert.True(File.Exists(Path.Combine(output, SuiteCharts.LatencyFile("2x64"))));
            Assert.Empty(OwnServersAndLoads());
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public async Task Cancelling_stops_every_server_and_load_and_still_writes_what_ran()
    {
        var output = TempDirectory("cancel");
        try
        {
            // Long runs: the cancel comes while a load and the servers are running.
            var settings = Settings(output, duration: 60) with { IdleConnections = 0, ColdStarts = 0 };
            using var cancel = new CancellationTokenSource();
            var suite = SuiteCommand.RunAsync(settings, cancel.Token);
            await Bounded.UntilAsync(() => OwnServersAndLoads().Any(p => p.CommandLine.Contains("--no-progress", StringComparison.Ordinal)),
                "a load is running", SuiteTimeout);
            Assert.Contains(OwnServersAndLoads(), p => p.CommandLine.Contains("refecho", StringComparison.Ordinal));

            await cancel.CancelAsync();

            Assert.Equal(130, await suite.Within(TimeSpan.FromSeconds(30)));
            Assert.Empty(OwnServersAndLoads());
            Assert.True(File.Exists(Path.Combine(output, SuiteOutput.ReportFile)));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private SuiteSettings Settings(string output, double duration) => new()
    {
        Rounds = 1,
        Duration = TimeSpan.FromSeconds(duration),
        Warmup = TimeSpan.FromSeconds(0.1),
        ServerWarmup = TimeSpan.Zero,
        Shapes = [new(2, 64)],
        UdpShapes = [new(2, 64)],
        HubShapes = [new(2, 64)],
        WebSocketShapes = [new(2, 64)],
        WatchedShapes = [new(2, 64)],
        Output = output,
        Programs = programs.ForSuite,
        Progress = false,
        CommandLine = "EchoBridge.Bench suite (test)",
    };

    private static string TempDirectory(string what)
    {
        var path = Path.Combine(Path.GetTempPath(), $"eb-suite-{what}-{Guid.NewGuid():N}"[..24]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>This process's children that the suite starts: its servers (refecho, EchoBridge, the ceiling, websockify) and its loads.</summary>
    private List<(int Pid, string CommandLine)> OwnServersAndLoads()
    {
        var children = new List<(int, string)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] == "Z" || int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) != Environment.ProcessId)
                {
                    continue;
                }

                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains(programs.Folder, StringComparison.Ordinal) || commandLine.Contains("eb-suite-", StringComparison.Ordinal)
                    || commandLine.Contains("EchoBridge.Bench.dll", StringComparison.Ordinal)
                    || commandLine.Contains("websockify", StringComparison.Ordinal))
                {
                    children.Add((pid, commandLine));
                }
            }
            catch (IOException)
            {
                // gone meanwhile
            }
        }

        return children;
    }

    /// <summary>The programs the suite runs, built once for the class: refecho with cc, the ceiling with dotnet build.</summary>
    public sealed class Programs : IAsyncLifetime
    {
        /// <summary>Where refecho and the ceiling are built.</summary>
        public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"eb-suite-programs-{Guid.NewGuid():N}"[..27]);

        /// <summary>The programs, once built.</summary>
        public SuitePrograms ForSuite { get; private set; } = null!;

        /// <inheritdoc />
        public async Task InitializeAsync()
        {
            Directory.CreateDirectory(Folder);
            var source = await RefechoSourceAsync();
            var refecho = Path.Combine(Folder, "refecho");
            await RunAsync("cc", ["-O2", "-o", refecho, source]);
            var ceiling = Path.Combine(Folder, "ceiling");
            await RunAsync("dotnet", ["build", Path.Combine(Repository.Root, "bench", "ceiling", "SignalRCeiling.cs"), "-c", "Release", "-o", ceiling, "--nologo"]);
            // The bench from its own output folder (built with the tests, same configuration): the copy beside the tests lacks
            // the SignalR client assemblies that the tests take from the ASP.NET Core framework.
            var here = new DirectoryInfo(AppContext.BaseDirectory);
            var bench = Path.Combine(Repository.Root, "src", "EchoBridge.Bench", "bin", here.Parent!.Name, here.Name, "EchoBridge.Bench.dll");
            Assert.True(File.Exists(bench), $"the bench is not built at {bench}");
            ForSuite = new SuitePrograms(Path.Combine(here.FullName, "EchoBridge.dll"), Path.Combine(ceiling, "SignalRCeiling.dll"), refecho,
                bench, Echoload: null, Websockify: OnPath("websockify"));
        }

        /// <inheritdoc />
        public Task DisposeAsync()
        {
            Directory.Delete(Folder, recursive: true);
            return Task.CompletedTask;
        }

        private static string? OnPath(string program) =>
            (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Select(directory => Path.Combine(directory, program)).FirstOrDefault(File.Exists);

        // shared/ is beside the repository (SHARED_DIR overrides); from a git worktree, beside its main checkout.
        private static async Task<string> RefechoSourceAsync()
        {
            var commonGit = (await RunAsync("git", ["-C", Repository.Root, "rev-parse", "--path-format=absolute", "--git-common-dir"])).Trim();
            string?[] folders = [Environment.GetEnvironmentVariable("SHARED_DIR"), Path.Combine(Repository.Root, "..", "shared"),
                Path.Combine(commonGit, "..", "..", "shared")];
            var sources = folders.OfType<string>().Select(f => Path.GetFullPath(Path.Combine(f, "bench", "refecho.c"))).ToList();
            var source = sources.FirstOrDefault(File.Exists);
            Assert.True(source is not null, $"refecho's source is in none of {string.Join(", ", sources)}");
            return source;
        }

        private static async Task<string> RunAsync(string program, string[] arguments)
        {
            var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().Within(TimeSpan.FromSeconds(180));
            Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed:\n{await stdout}\n{await stderr}");
            return await stdout;
        }
    }
}
