using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using EchoBridge.Bench.Cli;
using EchoBridge.Bench.Load;
using EchoBridge.Bench.Reporting;

namespace EchoBridge.Bench.Modes;

/// <summary>
/// What an idle connection costs the server: its resident memory (VmRSS) is read, N connections are opened over TCP,
/// the Unix socket, the hub or a WebSocket bridge, and after a settle time it is read again; the difference over N is
/// the cost of one.
/// Each connection first exchanges one message (unless <c>--size 0</c>): that proves the server really serves it
/// (a server at its connection limit accepts and then says goodbye), and it builds the state a session keeps once it
/// has seen traffic, which is what a real quiet telnet user costs.
/// <para>
/// The baseline is read on a warm server, so that one-time costs are not charged to the connections measured: the JIT's
/// code, the code pages it touches, first-use caches, metric instruments, thread-pool threads, retained transport blocks.
/// The JIT is the large one, and it takes time as well as calls: .NET compiles a method a first time, counts its calls
/// only once no new method has been compiled for a while (100 ms, ten times that on one CPU), recompiles it with
/// instrumentation after 30 counted calls and optimized after 30 more, each in the background. One batch of warm-up
/// connections does not get there: measured on 2026-11-24, 1,000 hub connections after 50 warm ones still made the
/// server compile about 2,500 methods (and 2,100 after 150 warm ones in three rounds), about 9 MB or 9 KiB a connection
/// that the next thousand would not cost; after eight rounds, about 300. So the warm-up opens
/// <c>--warm-connections</c> connections <c>--warm-rounds</c> times, <c>--warmup</c> apart. All are kept open, so that
/// nothing they free is reused by the measured ones: every measured connection's own memory is counted in full.
/// <c>--warm-connections 0</c> measures from cold.
/// </para>
/// <para>
/// After the settle time every connection must still be open and quiet: a server at its connection limit accepts, says
/// it is busy and hangs up, and a connection that sent no message would otherwise be counted as served.
/// </para>
/// </summary>
public static class IdleMode
{
    /// <summary>Runs the idle measurement; returns the exit code.</summary>
    public static async Task<int> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var server = new ServerProcess(settings.ServerPid!.Value);
        if (server.RssKiB() is null)
        {
            await Console.Error.WriteLineAsync($"error: cannot read /proc/{server.Pid}/status");
            return 1;
        }

        var open = OpenFunction(settings);
        var warm = new List<IEchoLoop>();
        string? failure = null;
        IEchoLoop[] connections = [];
        DashboardWatchers? watchers = null;
        try
        {
            for (var round = 1; round <= settings.WarmRounds && settings.WarmConnections > 0 && failure is null; round++)
            {
                IEchoLoop[] opened;
                (opened, failure) = await OpenAllAsync($"warm-up {round}/{settings.WarmRounds}", settings.WarmConnections,
                    open, settings, cancellationToken);
                warm.AddRange(opened);
                if (failure is null)
                {
                    // Let the server finish what this round set off (the JIT's background work above all).
                    await Task.Delay(settings.Warmup, cancellationToken);
                }
            }

            var before = server.RssKiB() ?? 0;
            var started = Stopwatch.GetTimestamp();
            if (failure is null)
            {
                (connections, failure) = await OpenAllAsync("opened", settings.Connections, open, settings, cancellationToken);
            }

            var openSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (failure is null)
            {
                // Dashboards watching the idle sessions: the settle window's server CPU then shows what watching costs.
                (watchers, failure) = await DashboardWatchers.TryStartAsync(settings.Hub.Url, settings.Watchers, settings.HubProtocol, cancellationToken);
            }

            return await ReportAsync(server, before, openSeconds, connections, failure, settings, cancellationToken);
        }
        finally
        {
            if (watchers is not null)
            {
                await watchers.DisposeAsync();
            }

            foreach (var connection in warm.Concat(connections))
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static async Task<(IEchoLoop[] Connections, string? Failure)> OpenAllAsync(string what, int count,
        Func<int, CancellationToken, Task<IEchoLoop>> open, BenchSettings settings, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return ([], null);
        }

        var opened = new StrongBox<long>();
        try
        {
            await using var progress = ProgressLine.Start(settings.Progress,
                _ => $"idle {settings.Transport.ToString().ToLowerInvariant()}: {what} {Volatile.Read(ref opened.Value):N0} of {count:N0}");
            return (await Opener.OpenAsync(count, open, opened, cancellationToken), null);
        }
        catch (Exception ex) when (ex is OpenException or SocketException)
        {
            return ([], $"{what}: {ex.Message}");
        }
    }

    private static async Task<int> ReportAsync(ServerProcess server, long before, double openSeconds,
        IReadOnlyList<IEchoLoop> connections, string? failure, BenchSettings settings, CancellationToken cancellationToken)
    {
        var cpuBefore = server.CpuTime();
        var settleStarted = Stopwatch.GetTimestamp();
        if (failure is null)
        {
            // Let the server finish what opening set off (accept loops, first reads, a GC) before reading its memory.
            await Task.Delay(settings.Warmup, cancellationToken);
        }

        var settled = Stopwatch.GetElapsedTime(settleStarted);
        var cpuIdle = server.CpuTime() - cpuBefore is { } used && settled > TimeSpan.Zero ? 100 * used / settled : (double?)null;
        var after = server.RssKiB() ?? before;
        if (failure is null && connections.Count(connection => !connection.IsOpenAndQuiet()) is var dropped and > 0)
        {
            failure = $"{dropped:N0} of {connections.Count:N0} connections were closed by the server, or written to, while idle (at its connection limit?)";
        }

        var report = new IdleReport(
            "idle",
            settings.Target,
            settings.Connections,
            settings.Size,
            server.Pid,
            settings.WarmConnections,
            settings.WarmRounds,
            Math.Round(openSeconds, 3),
            settings.Warmup.TotalSeconds,
            before,
            after,
            failure is null ? Math.Round((after - before) * 1024.0 / settings.Connections) : 0,
            cpuIdle is { } percent ? Math.Round(percent, 2) : null,
            settings.Watchers,
            failure);
        Print(report, settings);
        return report.Ok ? 0 : 1;
    }

    private static Func<int, CancellationToken, Task<IEchoLoop>> OpenFunction(BenchSettings settings)
    {
        var messages = settings.Size > 0 ? new MessageSet(settings.Size) : null;
        Func<int, CancellationToken, Task<IEchoLoop>> open;
        if (settings.Transport == Via.Hub)
        {
            // The hub needs a message set even when nothing is sent; a 2-byte one costs nothing.
            var set = messages ?? new MessageSet(2);
            var payloads = new HubPayloads(set);
            open = async (_, token) => await HubEchoLoop.OpenAsync(settings.Hub, set, payloads, token);
        }
        else if (settings.Transport == Via.WebSocket)
        {
            var set = messages ?? new MessageSet(2);
            open = async (_, token) => await WebSocketEchoLoop.OpenAsync(settings.WebSocketUrl, set, token);
        }
        else
        {
            var endPoint = settings.StreamEndPoint();
            var set = messages ?? new MessageSet(2);
            open = async (_, token) => await StreamEchoLoop.OpenAsync(endPoint, set, token);
        }

        return async (index, token) =>
        {
            var connection = await open(index, token);
            try
            {
                if (messages is not null && await connection.EchoOnceAsync(index) != EchoOutcome.Intact)
                {
                    throw new EchoException("its echo differed from the message sent");
                }

                connection.BeginIdle();
                return connection;
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        };
    }

    private static void Print(IdleReport report, BenchSettings settings)
    {
        if (settings.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(report, ReportJsonContext.Default.IdleReport));
            return;
        }

        new ReportTable($"{report.Target} · {report.Connections:N0} idle connections · server pid {report.ServerPid}")
            .Row("server memory per connection", Format.Bytes(report.ServerBytesPerConnection), "resident (VmRSS) growth / connections")
            .Row("server RSS before", Format.Bytes(report.ServerRssBeforeKib * 1024.0),
                report.WarmConnections > 0
                    ? $"read after {report.WarmRounds} rounds of {report.WarmConnections:N0} warm-up connections (all kept open)"
                    : "cold server")
            .Row("server RSS after", Format.Bytes(report.ServerRssAfterKib * 1024.0), $"read {Format.Seconds(report.SettleSeconds)} after the last opened")
            .Row("server CPU while settling", report.ServerCpuPercent is { } cpu ? $"{cpu:0.00}%" : "-",
                report.Watchers > 0 ? $"of one core, with {report.Watchers} dashboard(s) watching" : "of one core")
            .Row("message per connection", report.Size > 0 ? Format.Bytes(report.Size) : "none")
            .Row("opened in", Format.Seconds(report.OpenSeconds))
            .Row("failed", report.Failure is null ? "no" : "yes", report.Failure ?? "")
            .WriteTo(Console.Out);
    }
}
