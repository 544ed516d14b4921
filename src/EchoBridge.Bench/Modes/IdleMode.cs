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
/// the Unix socket or the hub, and after a settle time it is read again; the difference over N is the cost of one.
/// Each connection first exchanges one message (unless <c>--size 0</c>): that proves the server really serves it
/// (a server at its connection limit accepts and then says goodbye), and it builds the state a session keeps once it
/// has seen traffic, which is what a real quiet telnet user costs.
/// </summary>
public static class IdleMode
{
    /// <summary>Runs the idle measurement; returns the exit code.</summary>
    public static async Task<int> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var server = new ServerProcess(settings.ServerPid!.Value);
        if (server.RssKiB() is not { } before)
        {
            await Console.Error.WriteLineAsync($"error: cannot read /proc/{server.Pid}/status");
            return 1;
        }

        var opened = new StrongBox<long>();
        var started = Stopwatch.GetTimestamp();
        IEchoLoop[] connections;
        string? failure = null;
        try
        {
            var open = OpenFunction(settings);
            await using var progress = ProgressLine.Start(settings.Progress,
                _ => $"idle {settings.Transport.ToString().ToLowerInvariant()}: opened {Volatile.Read(ref opened.Value):N0} of {settings.Connections:N0}");
            connections = await Opener.OpenAsync(settings.Connections, open, opened, cancellationToken);
        }
        catch (Exception ex) when (ex is OpenException or SocketException)
        {
            failure = ex.Message;
            connections = [];
        }

        var openSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        try
        {
            if (failure is null)
            {
                // Let the server finish what opening set off (accept loops, first reads, a GC) before reading its memory.
                await Task.Delay(settings.Warmup, cancellationToken);
            }

            var after = server.RssKiB() ?? before;
            var report = new IdleReport(
                "idle",
                settings.Target,
                settings.Connections,
                settings.Size,
                server.Pid,
                Math.Round(openSeconds, 3),
                settings.Warmup.TotalSeconds,
                before,
                after,
                failure is null ? Math.Round((after - before) * 1024.0 / settings.Connections) : 0,
                failure);
            Print(report, settings);
            return report.Ok ? 0 : 1;
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
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
        else
        {
            var endPoint = settings.StreamEndPoint();
            var set = messages ?? new MessageSet(2);
            open = async (_, token) => await StreamEchoLoop.OpenAsync(endPoint, set, token);
        }

        if (messages is null)
        {
            return open;
        }

        return async (index, token) =>
        {
            var connection = await open(index, token);
            try
            {
                if (await connection.EchoOnceAsync(index) != EchoOutcome.Intact)
                {
                    throw new EchoException("its echo differed from the message sent");
                }

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
            .Row("server RSS before", Format.Bytes(report.ServerRssBeforeKib * 1024.0))
            .Row("server RSS after", Format.Bytes(report.ServerRssAfterKib * 1024.0), $"read {Format.Seconds(report.SettleSeconds)} after the last opened")
            .Row("message per connection", report.Size > 0 ? Format.Bytes(report.Size) : "none")
            .Row("opened in", Format.Seconds(report.OpenSeconds))
            .Row("failed", report.Failure is null ? "no" : "yes", report.Failure ?? "")
            .WriteTo(Console.Out);
    }
}
