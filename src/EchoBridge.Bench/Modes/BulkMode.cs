using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using EchoBridge.Bench.Cli;
using EchoBridge.Bench.Load;
using EchoBridge.Bench.Reporting;

namespace EchoBridge.Bench.Modes;

/// <summary>
/// Throughput of one connection: a writer streams chunks back to back while a reader checks every byte of the echo
/// against the same stream. When the time is up the writer half-closes; the server echoes what is left and closes,
/// and every byte sent must have come back. MB/s counts the bytes echoed within the measured window.
/// </summary>
public static class BulkMode
{
    private const int ReadBuffer = 64 * 1024;

    /// <summary>Runs the bulk stream; returns the exit code.</summary>
    public static async Task<int> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        Socket socket;
        try
        {
            socket = await StreamEchoLoop.ConnectAsync(settings.StreamEndPoint(), cancellationToken);
        }
        catch (Exception ex) when (ClosedLoop.IsConnectionFailure(ex))
        {
            await Console.Error.WriteLineAsync($"error: {settings.Target}: {ClosedLoop.Describe(ex)}");
            return 1;
        }

        using (socket)
        {
            var server = settings.ServerPid is { } pid ? new ServerProcess(pid) : null;
            var pattern = new BulkPattern(Math.Max(settings.Size, ReadBuffer));
            var window = new RunWindow(settings.Warmup, settings.Duration);
            using var stopOnCancel = cancellationToken.Register(window.StopNow);
            var echo = new EchoProgress();

            var writing = WriteAsync(socket, pattern, settings.Size, window, echo);
            var reading = ReadAsync(socket, pattern, window, echo);
            Usage usage;
            string? failure;
            await using (ProgressLine.Start(settings.Progress, Describe(settings, window, echo)))
            {
                await Task.Delay(window.UntilMeasuring(), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                var start = UsageSample.Take(server);
                failure = await FinishAsync(socket, writing, reading, window);
                usage = UsageSample.Take(server).Since(start);
            }

            var sent = echo.Sent;
            if (failure is null && echo.Received != sent)
            {
                failure = $"the echo ended {sent - echo.Received:N0} bytes short";
            }

            var seconds = window.Measured.TotalSeconds;
            var report = new BulkReport(
                "bulk",
                settings.Target,
                settings.Size,
                settings.Warmup.TotalSeconds,
                Math.Round(seconds, 3),
                sent,
                echo.Received,
                seconds > 0 ? Math.Round(echo.Measured / seconds / 1e6, 2) : 0,
                echo.Errors,
                failure,
                Math.Round(usage.ClientCpuPercent, 1),
                usage.ServerCpuPercent is { } cpu ? Math.Round(cpu, 1) : null);
            Print(report, settings);
            return report.Ok ? 0 : 1;
        }
    }

    /// <summary>Waits for both halves; a stream that has not drained a grace period after the end is cut off.</summary>
    private static async Task<string?> FinishAsync(Socket socket, Task writing, Task reading, RunWindow window)
    {
        var both = Task.WhenAll(writing, reading);
        try
        {
            await both.WaitAsync(window.UntilStop() + EchoMode.Grace);
            return null;
        }
        catch (TimeoutException)
        {
            window.Abort();
            socket.Dispose();
            await both.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return "the echo stalled: it had not drained a grace period after the run ended";
        }
        catch (Exception ex) when (ClosedLoop.IsConnectionFailure(ex))
        {
            socket.Dispose(); // the other half may still wait on the socket
            await both.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return ClosedLoop.Describe(ex);
        }
    }

    private static async Task WriteAsync(Socket socket, BulkPattern pattern, int chunk, RunWindow window, EchoProgress echo)
    {
        await Task.Yield();
        while (!window.IsOver(Stopwatch.GetTimestamp()))
        {
            echo.Sent += await socket.SendAsync(pattern.Slice(echo.Sent, chunk), SocketFlags.None);
        }

        socket.Shutdown(SocketShutdown.Send); // the server echoes what is left, then closes
    }

    private static async Task ReadAsync(Socket socket, BulkPattern pattern, RunWindow window, EchoProgress echo)
    {
        await Task.Yield();
        var buffer = new byte[ReadBuffer];
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None);
            if (read == 0)
            {
                return;
            }

            var intact = buffer.AsSpan(0, read).SequenceEqual(pattern.Slice(echo.Received, read).Span);
            echo.Add(read, intact, window.Counts(Stopwatch.GetTimestamp()));
        }
    }

    private static Func<TimeSpan, string> Describe(BenchSettings settings, RunWindow window, EchoProgress echo)
    {
        long previous = 0;
        return interval =>
        {
            var received = echo.Received;
            var rate = (received - previous) / interval.TotalSeconds / 1e6;
            previous = received;
            var phase = Stopwatch.GetTimestamp() < window.MeasureFrom ? "warmup" : "measuring";
            return $"bulk {Format.Bytes(settings.Size)} chunks: {phase}  {Format.Fixed(rate)} MB/s  {echo.Errors} integrity errors";
        };
    }

    private static void Print(BulkReport report, BenchSettings settings)
    {
        if (settings.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(report, ReportJsonContext.Default.BulkReport));
            return;
        }

        var table = new ReportTable(
                $"{report.Target} · one connection, {Format.Bytes(report.ChunkSize)} chunks · " +
                $"{Format.Seconds(report.MeasuredSeconds)} measured after {Format.Seconds(report.WarmupSeconds)} warmup")
            .Row("MB/s", Format.Fixed(report.MegabytesPerSecond), "echoed, one way")
            .Row("bytes sent", Format.Count(report.BytesSent))
            .Row("bytes echoed", Format.Count(report.BytesEchoed))
            .Row("integrity errors", Format.Count(report.IntegrityErrors), "reads that differed")
            .Row("failed", report.Failure is null ? "no" : "yes", report.Failure ?? "")
            .Row("bench CPU", Format.Percent(report.ClientCpuPercent), "of one core");
        if (report.ServerCpuPercent is { } server)
        {
            table.Row("server CPU", Format.Percent(server), $"of one core (pid {settings.ServerPid})");
        }

        table.WriteTo(Console.Out);
    }

    /// <summary>The reader's counts, read by the progress line while it runs.</summary>
    private sealed class EchoProgress
    {
        private long _received, _errors;

        public long Received => Volatile.Read(ref _received);

        public long Errors => Volatile.Read(ref _errors);

        public long Measured { get; private set; }

        /// <summary>Bytes the writer has sent (written by the writer only, read once both halves are done).</summary>
        public long Sent { get; set; }

        public void Add(int bytes, bool intact, bool measured)
        {
            Volatile.Write(ref _received, _received + bytes);
            if (!intact)
            {
                Volatile.Write(ref _errors, _errors + 1);
            }

            if (measured)
            {
                Measured += bytes;
            }
        }
    }
}
