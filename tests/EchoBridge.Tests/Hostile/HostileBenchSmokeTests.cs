extern alias bench;

using System.Text.Json;
using bench::EchoBridge.Bench.Hostile;
using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Hostile;

/// <summary>
/// The bench's <c>hostile</c> mode against the real product (the build beside the tests, as its own process under
/// <c>prlimit</c>) with every phase seconds long and its counts tiny. The figures are not asserted (a test machine is no
/// bench machine); that every phase ran, the flood met the fitted cap, the veterans were served and the output was
/// written, is.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class HostileBenchSmokeTests
{
    [Fact]
    public async Task Every_phase_runs_against_the_published_product_and_the_table_and_json_are_written()
    {
        var output = Directory.CreateTempSubdirectory("eb-hostile-smoke-");
        try
        {
            var settings = new HostileSettings
            {
                EchoBridge = Path.Combine(AppContext.BaseDirectory, "EchoBridge.dll"),
                Output = output.FullName,
                Nofile = 512,
                PhaseDuration = TimeSpan.FromSeconds(3),
                Settle = TimeSpan.FromSeconds(0.5),
                Baseline = TimeSpan.FromSeconds(0.5),
                Veterans = 2,
                FloodConnections = 700, // past the 512 descriptors: the fitted echo cap turns the rest away
                UdpDatagrams = 200,
                StalledReaders = 20,
                HubConnections = 3,
                WebSockets = 3,
                RefusedCalls = 200,
                Progress = false,
                CommandLine = "EchoBridge.Bench hostile (test)",
            };
            var (console, errors) = (new StringWriter(), new StringWriter());

            var exitCode = await HostileCommand.RunAsync(settings, console, errors, CancellationToken.None).Within(TimeSpan.FromSeconds(120));

            Assert.True(exitCode == 0, $"exit code {exitCode}; {errors}\n{console}");
            var json = File.ReadAllText(Path.Combine(output.FullName, HostileReport.JsonFile));
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            Assert.True(root.GetProperty("server_survived").GetBoolean());
            var phases = root.GetProperty("phases").EnumerateArray().ToList();
            Assert.Equal(["baseline", "connection-flood", "udp-flood", "stalled-readers", "bridge-flood", "refused-calls"],
                phases.Select(p => p.GetProperty("key").GetString()));
            Assert.All(phases, p =>
            {
                Assert.True(p.GetProperty("error").ValueKind == JsonValueKind.Null, p.ToString());
                Assert.True(p.GetProperty("figures").GetProperty("samples").GetInt32() >= 1, p.ToString());
                Assert.True(p.GetProperty("figures").GetProperty("veterans_ok").GetInt64() >= 1, p.ToString());
                Assert.Equal(0, p.GetProperty("figures").GetProperty("veterans_failed").GetInt64());
            });
            var flood = phases[1];
            Assert.True(flood.GetProperty("refused").GetProperty("connection limit reached").GetInt64() > 0, flood.ToString());
            Assert.True(flood.GetProperty("outcome").GetProperty("turned away").GetInt64() > 0, flood.ToString());
            Assert.Equal(200, phases[5].GetProperty("outcome").GetProperty("refused").GetInt64());
            Assert.StartsWith("Descriptors: limit 512", root.GetProperty("configuration").GetProperty("descriptor_line").GetString());

            var report = File.ReadAllText(Path.Combine(output.FullName, HostileReport.ReportFile));
            Assert.Equal(report, console.ToString());
            Assert.Contains("| connection-flood |", report);
            Assert.Contains("The server survived every phase", report);
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(output.FullName, "logs", "echobridge-log")));
            Assert.Empty(ProcessesNaming(output.FullName)); // the server was stopped: its log file's path is on its command line
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task When_the_server_dies_the_phase_ends_at_once_and_the_run_says_so_and_exits_1()
    {
        var output = Directory.CreateTempSubdirectory("eb-hostile-death-");
        try
        {
            var settings = new HostileSettings
            {
                EchoBridge = Path.Combine(AppContext.BaseDirectory, "EchoBridge.dll"),
                Output = output.FullName,
                Nofile = 512,
                PhaseDuration = TimeSpan.FromSeconds(60), // far longer than the test waits: the death must end it
                Settle = TimeSpan.FromSeconds(60),
                Baseline = TimeSpan.FromSeconds(0.5),
                Veterans = 1,
                FloodConnections = 100,
                UdpDatagrams = 0,
                StalledReaders = 0,
                HubConnections = 0,
                WebSockets = 0,
                RefusedCalls = 0,
                Progress = false,
                CommandLine = "EchoBridge.Bench hostile (test)",
            };
            var console = new StringWriter();
            var run = HostileCommand.RunAsync(settings, console, TextWriter.Null, CancellationToken.None);
            await Bounded.UntilAsync(() => File.Exists(Path.Combine(output.FullName, "logs", "echobridge-console.log"))
                && ProcessesNaming(output.FullName).Count == 1 && LogMentions(output.FullName, "opened: Tcp"), "the veteran is in", TimeSpan.FromSeconds(60));
            var (pid, _) = ProcessesNaming(output.FullName).Single();

            using (var server = System.Diagnostics.Process.GetProcessById(pid))
            {
                server.Kill();
            }

            var exitCode = await run.Within(TimeSpan.FromSeconds(30));

            Assert.Equal(1, exitCode);
            using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(output.FullName, HostileReport.JsonFile)));
            Assert.False(document.RootElement.GetProperty("server_survived").GetBoolean());
            Assert.Equal(137, document.RootElement.GetProperty("server_exit_code").GetInt32()); // 128 + SIGKILL
            Assert.Contains("**The server died** (exit code 137).", console.ToString());
            Assert.Empty(ProcessesNaming(output.FullName));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static bool LogMentions(string output, string text)
    {
        using var stream = new FileStream(Path.Combine(output, "logs", "echobridge-console.log"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd().Contains(text, StringComparison.Ordinal);
    }

    private static List<(int Pid, string CommandLine)> ProcessesNaming(string text)
    {
        var found = new List<(int, string)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains(text, StringComparison.Ordinal))
                {
                    found.Add((pid, commandLine));
                }
            }
            catch (IOException)
            {
                // gone meanwhile
            }
        }

        return found;
    }
}
