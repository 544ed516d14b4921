using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using EchoBridge.Bench.Reporting;

namespace EchoBridge.Bench.Suite;

/// <summary>
/// Runs one load on the load CPU: the bench's own mode as a child process (its JSON report read back), or
/// <c>echoload</c> (its key=value line read back, the server's CPU taken from /proc around it). A load that outlives
/// its time is killed with its process tree.
/// </summary>
public sealed partial class LoadRunner(SuiteSettings settings, ProcessSupervisor supervisor)
{
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(60);

    /// <summary>What a load printed and how it ended.</summary>
    public sealed record Output(int ExitCode, string Stdout, string Stderr);

    /// <summary>Runs the bench with <paramref name="arguments"/> (plus <c>--json --no-progress</c>), bounded by <paramref name="limit"/>.</summary>
    public Task<Output> BenchAsync(IEnumerable<string> arguments, TimeSpan limit, CancellationToken cancellationToken) =>
        RunAsync(settings.Programs.Bench, [.. arguments, "--json", "--no-progress"], limit, cancellationToken);

    /// <summary>One closed-loop run of <paramref name="peer"/> at <paramref name="shape"/> against <paramref name="server"/>.</summary>
    public async Task<RunRecord> MeasureAsync(int round, Peer peer, Shape shape, PeerEndpoints endpoints, RunningServer server,
        CancellationToken cancellationToken)
    {
        if (settings.Load == LoadGenerator.Echoload && peer.Echoload)
        {
            return await EcholoadAsync(round, peer, shape, endpoints, server, cancellationToken);
        }

        var output = await BenchAsync(
            [.. peer.Load(endpoints), .. ShapeArguments(shape, settings.Duration, settings.Warmup), "--server-pid", Invariant(server.Process.Id)],
            settings.Warmup + settings.Duration + Slack, cancellationToken);
        return FromBench(round, peer.Key, shape, output);
    }

    /// <summary>The bench's options for a shape and its times.</summary>
    public static IEnumerable<string> ShapeArguments(Shape shape, TimeSpan duration, TimeSpan warmup) =>
    [
        "--connections", Invariant(shape.Connections), "--size", Invariant(shape.Size),
        "--duration", Seconds(duration), "--warmup", Seconds(warmup),
    ];

    /// <summary>A run's record from the bench's JSON report; a failed run keeps its figures and says what failed.</summary>
    public static RunRecord FromBench(int round, string peer, Shape shape, Output output)
    {
        var line = output.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        EchoReport? report = null;
        try
        {
            report = line is null ? null : JsonSerializer.Deserialize(line, ReportJsonContext.Default.EchoReport);
        }
        catch (JsonException)
        {
            // not a report: the failure below says what the bench printed
        }

        var error = output.ExitCode == 0 && report is not null
            ? null
            : Failure(output, report?.Failure ?? report switch
            {
                { IntegrityErrors: > 0 } => $"{report.IntegrityErrors} integrity errors",
                { Lost: > 0 } => $"{report.Lost} datagrams lost",
                { ConnectionFailures: > 0 } => $"{report.ConnectionFailures} connections failed",
                { Messages: 0 } => "no echo came back",
                _ => null,
            });
        if (report is null)
        {
            return new RunRecord(round, peer, shape.ToString(), "bench", false, 0, 0, null, null, null, null, null, null, error);
        }

        var rtt = report.RoundTrip;
        return new RunRecord(round, peer, shape.ToString(), "bench", error is null, report.MessagesPerSecond, report.MegabytesPerSecond,
            rtt.P50, rtt.P90, rtt.P99, rtt.P999, report.ServerCpuPercent, report.ClientCpuPercent, error);
    }

    /// <summary>A run's record from echoload's line: <c>conns=50 size=64 msgs=… msgs_per_s=… MB_per_s=… p50_us=… p99_us=… errors=0</c>.</summary>
    public static RunRecord FromEchoload(int round, string peer, Shape shape, Output output, double? serverCpuPercent)
    {
        var values = KeyValue().Matches(output.Stdout).ToDictionary(m => m.Groups[1].Value, m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        var complete = values.ContainsKey("msgs_per_s") && values.ContainsKey("MB_per_s");
        var errors = values.GetValueOrDefault("errors");
        string? error = output.ExitCode != 0 || !complete ? Failure(output, null) : errors > 0 ? $"{errors} integrity errors" : null;
        return new RunRecord(round, peer, shape.ToString(), "echoload", error is null, values.GetValueOrDefault("msgs_per_s"),
            values.GetValueOrDefault("MB_per_s"), values.TryGetValue("p50_us", out var p50) ? p50 : null, null,
            values.TryGetValue("p99_us", out var p99) ? p99 : null, null, serverCpuPercent, null, error);
    }

    private async Task<RunRecord> EcholoadAsync(int round, Peer peer, Shape shape, PeerEndpoints endpoints, RunningServer server,
        CancellationToken cancellationToken)
    {
        var program = settings.Programs.Echoload ?? throw new SuiteException("--load echoload needs --echoload PATH");
        var port = Invariant(peer.Server == ServerKind.Refecho ? endpoints.RefechoPort : endpoints.EchoBridgePort);
        string[] Args(TimeSpan seconds) => ["127.0.0.1", port, Invariant(shape.Connections), Invariant(shape.Size), Seconds(seconds)];

        // echoload has no warmup of its own: a first, discarded run is the warmup.
        if (settings.Warmup > TimeSpan.Zero)
        {
            await RunAsync(program, Args(settings.Warmup), settings.Warmup + Slack, cancellationToken);
        }

        var process = new ServerProcess(server.Process.Id);
        var cpuBefore = process.CpuTime();
        var clock = Stopwatch.StartNew();
        var output = await RunAsync(program, Args(settings.Duration), settings.Duration + Slack, cancellationToken);
        var cpu = process.CpuTime() - cpuBefore is { } used ? 100 * used.TotalSeconds / clock.Elapsed.TotalSeconds : (double?)null;
        return FromEchoload(round, peer.Key, shape, output, cpu is { } c ? Math.Round(c, 1) : null);
    }

    private async Task<Output> RunAsync(string program, IReadOnlyList<string> arguments, TimeSpan limit, CancellationToken cancellationToken)
    {
        var process = supervisor.Start(program, arguments, settings.LoadCpu);
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken).WaitAsync(limit, cancellationToken);
            }
            catch (TimeoutException)
            {
                return new Output(-1, "", $"killed: still running {limit.TotalSeconds:0} s after it started");
            }

            return new Output(process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            await supervisor.StopAsync(process);
        }
    }

    private static string Failure(Output output, string? reported)
    {
        var said = output.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(3);
        var text = string.Join(" / ", said);
        return $"exit code {output.ExitCode}" + (reported is null ? "" : $": {reported}") + (text.Length > 0 ? $" ({text})" : "");
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"(\w+)=([0-9.]+)")]
    private static partial Regex KeyValue();
}
