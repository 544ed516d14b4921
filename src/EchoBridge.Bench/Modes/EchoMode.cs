using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using EchoBridge.Bench.Cli;
using EchoBridge.Bench.Load;
using EchoBridge.Bench.Reporting;

namespace EchoBridge.Bench.Modes;

/// <summary>
/// The closed-loop run (tcp, unix, udp, hub, websocket), echoload's method: N connections, each sends one message, waits for
/// the whole echo, checks it byte for byte, records the round trip, repeats. Warmup first, then the measured window.
/// </summary>
public static class EchoMode
{
    /// <summary>How long echoes may still take after the run ends before their connections are cut off as stalled.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    /// <summary>Runs the closed loop; returns the exit code.</summary>
    public static async Task<int> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var label = $"{settings.Mode.ToString().ToLowerInvariant()} {settings.Connections}×{Format.Bytes(settings.Size)}";
        var messages = new MessageSet(settings.Size);
        var opened = new StrongBox<long>();
        IEchoLoop[] loops;
        try
        {
            var open = OpenFunction(settings, messages);
            await using var progress = ProgressLine.Start(settings.Progress,
                _ => $"{label}: opened {Volatile.Read(ref opened.Value):N0} of {settings.Connections:N0}");
            loops = await Opener.OpenAsync(settings.Connections, open, opened, cancellationToken);
        }
        catch (Exception ex) when (ex is OpenException or SocketException)
        {
            await Console.Error.WriteLineAsync($"error: {settings.Target}: {ex.Message}");
            return 1;
        }

        DashboardWatchers? watchers = null;
        try
        {
            (watchers, var failure) = await DashboardWatchers.TryStartAsync(settings.Hub.Url, settings.Watchers, settings.HubProtocol, cancellationToken);
            if (failure is not null)
            {
                await Console.Error.WriteLineAsync($"error: {failure}");
                return 1;
            }

            var report = await MeasureAsync(settings, label, loops, cancellationToken) with
            {
                Watchers = settings.Watchers,
                SnapshotsReceived = watchers?.Snapshots ?? 0,
            };
            Print(report, settings);
            return report.Ok ? 0 : 1;
        }
        finally
        {
            if (watchers is not null)
            {
                await watchers.DisposeAsync();
            }

            foreach (var loop in loops)
            {
                await loop.DisposeAsync();
            }
        }
    }

    private static Func<int, CancellationToken, Task<IEchoLoop>> OpenFunction(BenchSettings settings, MessageSet messages)
    {
        switch (settings.Mode)
        {
            case BenchMode.Udp:
                var datagrams = settings.DatagramEndPoint();
                return async (_, token) => await UdpEchoLoop.OpenAsync(datagrams, messages, token);
            case BenchMode.Hub:
                var payloads = new HubPayloads(messages);
                var connections = new SharedHubConnections(settings.Hub, settings.Connections);
                return async (index, token) =>
                    await HubEchoLoop.OpenAsync(await connections.GetAsync(index, token), messages, payloads, settings.Hub, token);
            case BenchMode.WebSocket:
                return async (_, token) => await WebSocketEchoLoop.OpenAsync(settings.WebSocketUrl, messages, token);
            default:
                var stream = settings.StreamEndPoint();
                return async (_, token) => await StreamEchoLoop.OpenAsync(stream, messages, token);
        }
    }

    private static async Task<EchoReport> MeasureAsync(BenchSettings settings, string label, IEchoLoop[] loops,
        CancellationToken cancellationToken)
    {
        foreach (var loop in loops)
        {
            loop.Stats.BeginRun(); // allocate before the clock starts
        }

        var server = settings.ServerPid is { } pid ? new ServerProcess(pid) : null;
        var window = new RunWindow(settings.Warmup, settings.Duration);
        using var stopOnCancel = cancellationToken.Register(window.StopNow);

        var running = Task.WhenAll(loops.Select(loop => ClosedLoop.RunAsync(loop, window)));
        var usage = MeasureUsageAsync(window, server, running, cancellationToken);
        await using (ProgressLine.Start(settings.Progress, Describe(label, window, loops)))
        {
            await WaitOrAbortAsync(running, loops, window, cancellationToken);
        }

        return Summarize(settings, window, loops, await usage);
    }

    /// <summary>Waits for the loops to finish; any still waiting for an echo a grace period after the end are cut off.</summary>
    private static async Task WaitOrAbortAsync(Task running, IEchoLoop[] loops, RunWindow window, CancellationToken cancellationToken)
    {
        try
        {
            await running.WaitAsync(window.UntilStop() + Grace, cancellationToken);
            return;
        }
        catch (TimeoutException)
        {
            // echoes are overdue: cut them off below
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C stopped the window; the loops finish the round trip they are in.
            try
            {
                await running.WaitAsync(Grace, CancellationToken.None);
                return;
            }
            catch (TimeoutException)
            {
                // cut off below
            }
        }

        window.Abort();
        foreach (var loop in loops)
        {
            loop.Abort();
        }

        await running;
    }

    /// <summary>CPU and allocations over the measured window: from its start until the loops have finished.</summary>
    private static async Task<Usage> MeasureUsageAsync(RunWindow window, ServerProcess? server, Task running,
        CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(window.UntilMeasuring(), cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // stopped during the warmup: measure what is left
        }

        var start = UsageSample.Take(server);
        await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return UsageSample.Take(server).Since(start);
    }

    private static Func<TimeSpan, string> Describe(string label, RunWindow window, IEchoLoop[] loops)
    {
        long previous = 0;
        return interval =>
        {
            long completed = 0, errors = 0;
            foreach (var loop in loops)
            {
                completed += loop.Stats.Completed;
                errors += loop.Stats.IntegrityErrors;
            }

            var rate = (completed - previous) / interval.TotalSeconds;
            previous = completed;
            var now = Stopwatch.GetTimestamp();
            var phase = now < window.MeasureFrom
                ? $"warmup {Format.Seconds(Stopwatch.GetElapsedTime(window.Start, now).TotalSeconds)}"
                : $"measuring {Format.Seconds(Stopwatch.GetElapsedTime(window.MeasureFrom, now).TotalSeconds)}";
            return $"{label}: {phase}  {Format.Count(rate)} msgs/s  {errors} integrity errors";
        };
    }

    private static EchoReport Summarize(BenchSettings settings, RunWindow window, IEchoLoop[] loops, Usage usage)
    {
        var latency = new LatencyHistogram();
        long errors = 0, lost = 0, late = 0;
        foreach (var loop in loops)
        {
            if (loop.Stats.Latency is { } recorded)
            {
                latency.Add(recorded);
            }

            errors += loop.Stats.IntegrityErrors;
            lost += loop.Stats.Lost;
            late += loop.Stats.Late;
        }

        var failures = loops.Where(l => l.Stats.Failure is not null).ToList();
        var seconds = window.Measured.TotalSeconds;
        var messages = latency.Count;
        var rate = seconds > 0 ? messages / seconds : 0;
        return new EchoReport(
            settings.Mode.ToString().ToLowerInvariant(),
            settings.Target,
            settings.Connections,
            settings.Size,
            settings.Warmup.TotalSeconds,
            Math.Round(seconds, 3),
            messages,
            Math.Round(rate, 1),
            Math.Round(rate * settings.Size / 1e6, 3),
            LatencySummary.From(latency),
            errors,
            lost,
            late,
            failures.Count,
            failures.Count == 0 ? null : failures[0].Stats.Failure,
            Math.Round(usage.ClientCpuPercent, 1),
            usage.ServerCpuPercent is { } server ? Math.Round(server, 1) : null,
            messages > 0 ? Math.Round((double)usage.ClientAllocatedBytes / messages, 2) : 0);
    }

    private static void Print(EchoReport report, BenchSettings settings)
    {
        if (settings.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(report, ReportJsonContext.Default.EchoReport));
            return;
        }

        var rtt = report.RoundTrip;
        var table = new ReportTable(
                $"{report.Target} · {report.Connections:N0} connections × {Format.Bytes(report.Size)} · " +
                $"{Format.Seconds(report.MeasuredSeconds)} measured after {Format.Seconds(report.WarmupSeconds)} warmup")
            .Row("msgs/s", Format.Count(report.MessagesPerSecond))
            .Row("MB/s", Format.Fixed(report.MegabytesPerSecond), "payload one way, as echoload counts it")
            .Row("round trip p50", Format.Micros(rtt.P50), "µs")
            .Row("round trip p90", Format.Micros(rtt.P90), "µs")
            .Row("round trip p99", Format.Micros(rtt.P99), "µs")
            .Row("round trip p99.9", Format.Micros(rtt.P999), "µs")
            .Row("round trip max", Format.Micros(rtt.Max), "µs")
            .Row("integrity errors", Format.Count(report.IntegrityErrors))
            .Row("connection failures", Format.Count(report.ConnectionFailures), report.Failure ?? "");
        if (settings.Mode == BenchMode.Udp)
        {
            table.Row("lost", Format.Count(report.Lost), report.Lost > 0 ? "no echo within 1 s (is the server's UDP rate limit on?)" : "")
                .Row("late", Format.Count(report.Late), "echoes that came after their message was given up");
        }

        table.Row("bench CPU", Format.Percent(report.ClientCpuPercent), "of one core; near 100% means the bench is the bottleneck");
        if (report.ServerCpuPercent is { } server)
        {
            table.Row("server CPU", Format.Percent(server), $"of one core (pid {settings.ServerPid})");
        }

        if (report.Watchers > 0)
        {
            table.Row("dashboards watching", Format.Count(report.Watchers), $"{Format.Count(report.SnapshotsReceived)} snapshots received in all");
        }

        table.Row("bench allocations", Format.Fixed(report.ClientAllocatedBytesPerMessage), "bytes per message")
            .WriteTo(Console.Out);
    }
}
