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
            var console = new StringWriter();

            var exitCode = await HostileCommand.RunAsync(settings, console, CancellationToken.None).Within(TimeSpan.FromSeconds(120));

            var json = File.ReadAllText(Path.Combine(output.FullName, HostileReport.JsonFile));
            Assert.True(exitCode == 0, $"exit code {exitCode}; {console}");
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

    private static List<string> ProcessesNaming(string text)
    {
        var found = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains(text, StringComparison.Ordinal))
                {
                    found.Add(commandLine);
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
