using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EchoBridge.Bench.Reporting;

namespace EchoBridge.Bench.Suite;

/// <summary>
/// Runs the suite: in each round every server starts afresh (pinned), the .NET servers get unmeasured load until their
/// JIT has reached optimized code, then every peer is measured at each of its shapes in turn, the order of the peers
/// reversed every other round so that none always gets the fresher machine. Then memory per idle connection (a fresh
/// EchoBridge for each front door) and cold starts. Failed runs are recorded and reported, not fatal; a server that
/// will not start is.
/// </summary>
public sealed class SuiteRunner(SuiteSettings settings)
{
    // Connections of each idle warm-up round (the bench's --warm-connections).
    private const int IdleWarmConnections = 50;

    private readonly List<RunRecord> _runs = [];
    private readonly List<IdleRecord> _idle = [];
    private readonly List<double> _coldStarts = [];
    private string _doing = "starting";
    private int _done;
    private int _total;

    /// <summary>Runs everything and returns what was measured (partial when cancelled).</summary>
    public async Task<SuiteResult> RunAsync(string logDirectory, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var loadAverage = LoadAverage();
        var commit = Commit(); // what is measured: the tree as the run starts

        var peers = Peers.Echo(settings);
        var active = peers.Where(p => p.Unavailable is null && Peers.ShapesOf(p, settings).Count > 0).ToList();
        var idle = Peers.Idle().Where(p => p.Unavailable is null && settings.IdleConnections > 0).ToList();
        _total = settings.Rounds * active.Sum(p => Peers.ShapesOf(p, settings).Count) + idle.Count + settings.ColdStarts;

        await using (var supervisor = new ProcessSupervisor())
        await using (ProgressLine.Start(settings.Progress, _ => $"suite {_done}/{_total} · {Volatile.Read(ref _doing)} · {Format.Seconds(clock.Elapsed.TotalSeconds)}"))
        {
            var servers = new Servers(settings, supervisor, logDirectory);
            var load = new LoadRunner(settings, supervisor);
            try
            {
                for (var round = 1; round <= settings.Rounds; round++)
                {
                    await RoundAsync(round, active, servers, load, cancellationToken);
                }

                foreach (var peer in idle)
                {
                    await IdleAsync(peer, servers, load, cancellationToken);
                }

                for (var attempt = 1; attempt <= settings.ColdStarts; attempt++)
                {
                    Doing($"cold start {attempt}/{settings.ColdStarts}");
                    _coldStarts.Add(Math.Round(await servers.ColdStartAsync(attempt, cancellationToken), 4));
                    _done++;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C: report what was measured; disposing the supervisor stops every server
            }
        }

        var skipped = peers.Where(p => p.Unavailable is not null).Select(p => new SkippedPeer(p.Key, p.Unavailable!))
            .Concat(Peers.Idle().Where(p => p.Unavailable is not null).Select(p => new SkippedPeer($"idle-{p.Key}", p.Unavailable!)))
            .ToList();
        return new SuiteResult(
            new SuiteMachine(commit, started, Math.Round(clock.Elapsed.TotalSeconds, 1), Environment.ProcessorCount, loadAverage,
                System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription),
            Configuration(),
            [.. peers.Select(p => new PeerInfo(p.Key, p.Label, p.Server.ToString().ToLowerInvariant()))],
            _runs, _idle, _coldStarts, skipped);
    }

    private async Task RoundAsync(int round, List<Peer> peers, Servers servers, LoadRunner load, CancellationToken cancellationToken)
    {
        Doing($"round {round}/{settings.Rounds}: starting servers");
        var running = await servers.StartAsync(peers.Select(p => p.Server), $"round{round}", cancellationToken);
        try
        {
            await WarmUpAsync(running, servers.Endpoints, load, cancellationToken);

            // Shape by shape, every peer of that shape in turn; every other round in the reverse order.
            var order = round % 2 == 1 ? peers : Enumerable.Reverse(peers).ToList();
            var shapes = order.SelectMany(p => Peers.ShapesOf(p, settings)).Distinct().OrderBy(s => s.Size).ThenBy(s => s.Connections);
            foreach (var shape in shapes)
            {
                foreach (var peer in order.Where(p => Peers.ShapesOf(p, settings).Contains(shape)))
                {
                    Doing($"round {round}/{settings.Rounds}: {peer.Label} at {shape.Label}");
                    var record = await load.MeasureAsync(round, peer, shape, servers.Endpoints, running[peer.Server], cancellationToken);
                    _runs.Add(record);
                    _done++;
                    if (!record.Ok)
                    {
                        await Console.Error.WriteLineAsync($"round {round}: {peer.Label} at {shape.Label} failed: {record.Error}");
                    }
                }
            }
        }
        finally
        {
            await servers.StopAsync(running.Values);
        }
    }

    // .NET compiles hot code in tiers: a freshly started server runs instrumented code for several seconds under load
    // (about 10 s on a busy 2-core machine) before its optimized tier, more than a run's own warmup.
    private async Task WarmUpAsync(IReadOnlyDictionary<ServerKind, RunningServer> running, PeerEndpoints endpoints, LoadRunner load,
        CancellationToken cancellationToken)
    {
        if (settings.ServerWarmup <= TimeSpan.Zero)
        {
            return;
        }

        var half = settings.ServerWarmup / 2;
        var loads = new List<(string What, string[] Arguments, TimeSpan Time)>();
        if (running.ContainsKey(ServerKind.EchoBridge))
        {
            var port = endpoints.EchoBridgePort.ToString(CultureInfo.InvariantCulture);
            loads.Add(("EchoBridge TCP 50 × 64 B", ["tcp", "--port", port, .. LoadRunner.ShapeArguments(new(50, 64), half, TimeSpan.Zero)], half));
            loads.Add(("EchoBridge TCP 10 × 16 KiB", ["tcp", "--port", port, .. LoadRunner.ShapeArguments(new(10, 16384), half, TimeSpan.Zero)], half));
            if (settings.HubShapes.Count > 0)
            {
                loads.Add(("EchoBridge hub", ["hub", "--hub-url", endpoints.EchoBridgeHttp.ToString(),
                    .. LoadRunner.ShapeArguments(new(50, 64), settings.ServerWarmup, TimeSpan.Zero)], settings.ServerWarmup));
            }

            if (settings.WebSocketShapes.Count > 0)
            {
                loads.Add(("EchoBridge /websockify", ["websocket", "--url", Peers.EchoBridgeWebSocket(endpoints).ToString(),
                    .. LoadRunner.ShapeArguments(new(50, 64), half, TimeSpan.Zero)], half));
            }
        }

        if (running.ContainsKey(ServerKind.Ceiling))
        {
            loads.Add(("the SignalR ceiling", ["hub", "--hub-url", endpoints.CeilingHttp.ToString(),
                .. LoadRunner.ShapeArguments(new(50, 64), settings.ServerWarmup, TimeSpan.Zero)], settings.ServerWarmup));
        }

        foreach (var (what, arguments, time) in loads)
        {
            Doing($"warming {what} up for {Format.Seconds(time.TotalSeconds)}");
            var output = await load.BenchAsync(arguments, time + TimeSpan.FromSeconds(60), cancellationToken);
            if (output.ExitCode != 0)
            {
                throw new SuiteException($"warming {what} up failed (exit code {output.ExitCode}): {output.Stderr.Trim()}");
            }
        }
    }

    private async Task IdleAsync(IdlePeer peer, Servers servers, LoadRunner load, CancellationToken cancellationToken)
    {
        Doing($"memory per idle connection: {settings.IdleConnections:N0} over {peer.Label}");
        // Every warm-up connection stays open beside the measured ones, and each is a bridge client over the hub and WebSocket.
        var clients = settings.IdleConnections + (settings.IdleWarmRounds * IdleWarmConnections) + 10;
        var running = await servers.StartAsync([ServerKind.EchoBridge], $"idle-{peer.Key}", cancellationToken, clients);
        try
        {
            var server = running[ServerKind.EchoBridge];
            var settle = settings.Warmup.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            var output = await load.BenchAsync(
            [
                .. peer.Load(servers.Endpoints), "--connections", settings.IdleConnections.ToString(CultureInfo.InvariantCulture),
                "--server-pid", server.Process.Id.ToString(CultureInfo.InvariantCulture), "--warmup", settle,
                "--warm-rounds", settings.IdleWarmRounds.ToString(CultureInfo.InvariantCulture),
                "--warm-connections", IdleWarmConnections.ToString(CultureInfo.InvariantCulture),
            ], settings.Warmup * (settings.IdleWarmRounds + 1) + TimeSpan.FromSeconds(120), cancellationToken);
            _idle.Add(FromIdle(peer.Key, settings.IdleConnections, output));
            _done++;
        }
        finally
        {
            await servers.StopAsync(running.Values);
        }
    }

    /// <summary>An idle record from the bench's JSON report.</summary>
    public static IdleRecord FromIdle(string frontDoor, int connections, LoadRunner.Output output)
    {
        var line = output.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        IdleReport? report = null;
        try
        {
            report = line is null ? null : JsonSerializer.Deserialize(line, ReportJsonContext.Default.IdleReport);
        }
        catch (JsonException)
        {
            // not a report: said below
        }

        if (report is null)
        {
            return new IdleRecord(frontDoor, connections, false, 0, 0, 0, $"exit code {output.ExitCode}: {output.Stderr.Trim()}");
        }

        return new IdleRecord(frontDoor, connections, report.Ok && output.ExitCode == 0, report.ServerBytesPerConnection,
            report.ServerRssBeforeKib, report.ServerRssAfterKib, report.Failure);
    }

    private SuiteConfiguration Configuration() => new(
        settings.CommandLine,
        settings.Load.ToString().ToLowerInvariant(),
        settings.Rounds,
        settings.Duration.TotalSeconds,
        settings.Warmup.TotalSeconds,
        settings.ServerWarmup.TotalSeconds,
        [.. settings.Shapes.Select(s => s.ToString())],
        [.. settings.UdpShapes.Select(s => s.ToString())],
        [.. settings.HubShapes.Select(s => s.ToString())],
        [.. settings.WebSocketShapes.Select(s => s.ToString())],
        [.. settings.WatchedShapes.Select(s => s.ToString())],
        [.. settings.HubVariants.Select(v => v.ToString())],
        settings.IdleConnections,
        settings.ColdStarts,
        settings.EchoBridgeArguments,
        settings.ServerCpu,
        settings.LoadCpu);

    private void Doing(string what) => Volatile.Write(ref _doing, what);

    /// <summary>The 1-minute load average now (NaN when /proc/loadavg cannot be read).</summary>
    public static double LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    /// <summary>The commit measured, from git where the suite runs: <c>f3a8028</c>, with <c>+dirty</c> for uncommitted changes.</summary>
    public static string Commit()
    {
        var commit = Git("rev-parse --short HEAD");
        if (commit is null)
        {
            return "unknown";
        }

        return Git("status --porcelain --untracked-files=no") is { Length: > 0 } ? commit + "+dirty" : commit;
    }

    /// <summary>Runs git in the current directory; its trimmed output, or null when git fails.</summary>
    public static string? Git(string arguments)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", arguments)
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            })!;
            var output = git.StandardOutput.ReadToEnd();
            git.WaitForExit();
            return git.ExitCode == 0 ? output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git
        }
    }
}
