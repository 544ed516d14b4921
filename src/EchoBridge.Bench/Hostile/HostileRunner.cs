using System.Diagnostics;
using System.Net.Sockets;
using System.Net.WebSockets;
using EchoBridge.Bench.Reporting;
using EchoBridge.Bench.Suite;

namespace EchoBridge.Bench.Hostile;

/// <summary>
/// Runs the hostile phases one after the other against one server: it starts the published EchoBridge under the
/// descriptor limit, opens the veterans, takes a quiet baseline, then for each phase lets its clients come and stay for
/// the phase's time, leave, and watches the server settle — sampling /proc throughout and reading /metrics and the
/// log's size at each phase's edges. It stops early when the server dies. Nothing it started outlives it.
/// </summary>
public sealed class HostileRunner(HostileSettings settings, TextWriter errors)
{
    private string _doing = "starting";

    /// <summary>The phases the settings ask for, in the issue's order (a count of 0 leaves one out).</summary>
    public static IReadOnlyList<IHostilePhase> Phases(HostileSettings settings)
    {
        var phases = new List<IHostilePhase>();
        if (settings.FloodConnections > 0)
        {
            phases.Add(new ConnectionFlood(settings.FloodConnections));
        }

        if (settings.UdpDatagrams > 0)
        {
            phases.Add(new UdpFlood(settings.UdpDatagrams, settings.UdpAddresses));
        }

        if (settings.StalledReaders > 0)
        {
            phases.Add(new StalledReaders(settings.StalledReaders));
        }

        if (settings.HubConnections + settings.WebSockets > 0)
        {
            phases.Add(new BridgeFlood(settings.HubConnections, settings.SessionsPerHubConnection, settings.WebSockets));
        }

        if (settings.RefusedCalls > 0)
        {
            phases.Add(new RefusedHubCalls(settings.RefusedCalls, settings.RefusedNameLength));
        }

        return phases;
    }

    /// <summary>Runs everything; the result covers what ran (the server's death or Ctrl+C ends it early).</summary>
    public async Task<HostileResult> RunAsync(CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var loadBefore = SuiteRunner.LoadAverage();
        var commit = SuiteRunner.Commit();
        var logs = Path.Combine(settings.Output, "logs");
        Directory.CreateDirectory(logs);
        var phases = Phases(settings);
        var results = new List<PhaseResult>();
        var interrupted = false;
        string? descriptorLine = null;
        int? exitCode = null;
        IReadOnlyList<string> veteranErrors = [];
        var alive = true;

        // The server is killed at the end, so it cannot remove its socket file: this run does.
        var socketPath = Path.Combine(Path.GetTempPath(), $"eb-hostile-{Guid.NewGuid():N}"[..19] + ".sock");
        try
        {
            await using var supervisor = new ProcessSupervisor();
            using var server = await HostileServer.StartAsync(settings, supervisor, logs, socketPath, cancellationToken);
            descriptorLine = server.DescriptorLine();
            var sampler = new ServerSampler(server.Process.Id, settings.SampleInterval);
            Veterans? veterans = null;
            try
            {
                veterans = await Veterans.StartAsync(server.Echo, settings.Veterans, settings.VeteranInterval, settings.VeteranTimeout, cancellationToken);
                await using (ProgressLine.Start(settings.Progress, _ => Progress(clock, sampler, veterans)))
                {
                    var all = new List<IHostilePhase?> { null }.Concat(phases).ToList(); // null: the quiet baseline
                    for (var index = 0; index < all.Count && alive; index++)
                    {
                        results.Add(await PhaseAsync(index, all[index], server, sampler, veterans, cancellationToken));
                        alive = !server.HasExited && !sampler.ProcessGone;
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                interrupted = true; // Ctrl+C: report what ran; disposing the supervisor stops the server
            }
            finally
            {
                if (veterans is not null)
                {
                    await veterans.DisposeAsync();
                }

                await sampler.DisposeAsync();
            }

            veteranErrors = veterans?.Errors ?? [];
            alive = !server.HasExited;
            exitCode = alive ? null : server.Process.ExitCode;
            // Again now that the veterans have stopped: the last phase's last echoes count too.
            results = [.. results.Select((r, index) => r with { Figures = PhaseFigures.From(index, sampler.Samples, veterans?.Echoes ?? []) })];
            if (!alive)
            {
                await errors.WriteLineAsync($"EchoBridge died (exit code {exitCode}); its last output:\n{server.ConsoleTail()}");
            }
        }
        finally
        {
            File.Delete(socketPath);
        }

        return new HostileResult(
            new HostileMachine(commit, started, Math.Round(clock.Elapsed.TotalSeconds, 1), Environment.ProcessorCount, loadBefore, SuiteRunner.LoadAverage(),
                System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription),
            new HostileConfiguration(settings.CommandLine, settings.Nofile, settings.PhaseDuration.TotalSeconds, settings.Settle.TotalSeconds, settings.ServerCpu,
                settings.Veterans, settings.VeteranInterval.TotalMilliseconds, settings.EchoBridgeArguments, descriptorLine),
            results, alive, exitCode, veteranErrors, interrupted);
    }

    private async Task<PhaseResult> PhaseAsync(int index, IHostilePhase? phase, HostileServer server, ServerSampler sampler, Veterans veterans,
        CancellationToken cancellationToken)
    {
        var key = phase?.Key ?? "baseline";
        Volatile.Write(ref _doing, phase is null ? "baseline" : $"{index}: {key}");
        sampler.Phase = index;
        veterans.Phase = index;
        sampler.SampleNow();
        var clock = Stopwatch.StartNew();
        var refusedBefore = await server.RefusedAsync(cancellationToken);
        var logBefore = server.LogBytes();
        // Ctrl+C or the server's death ends the phase at once (then the run, after this phase's figures are taken).
        using var stopped = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, server.Exited);
        PhaseLoad load;
        string? error = null;
        if (phase is null)
        {
            await new PhaseWindow(settings.Baseline, stopped.Token).DelayAsync(settings.Baseline);
            cancellationToken.ThrowIfCancellationRequested();
            load = new PhaseLoad("none: the veterans alone", new Dictionary<string, long>());
        }
        else
        {
            using var over = CancellationTokenSource.CreateLinkedTokenSource(stopped.Token);
            over.CancelAfter(settings.PhaseDuration);
            try
            {
                load = await phase.RunAsync(server, new PhaseWindow(settings.PhaseDuration, over.Token));
            }
            catch (Exception ex) when (ex is SocketException or HttpRequestException or WebSocketException or InvalidOperationException or IOException)
            {
                // The bench could not carry the phase out (its own limits, say): a failed phase, reported, not a verdict on the server.
                error = $"{ex.GetType().Name}: {ex.Message}";
                load = new PhaseLoad("(did not run to its end)", new Dictionary<string, long>());
            }

            cancellationToken.ThrowIfCancellationRequested();
            Volatile.Write(ref _doing, $"{index}: {key}, settling");
            await new PhaseWindow(settings.Settle, stopped.Token).DelayAsync(settings.Settle);
            cancellationToken.ThrowIfCancellationRequested();
        }

        sampler.SampleNow();
        var refusedAfter = await server.RefusedAsync(cancellationToken);
        if ((refusedBefore is null || refusedAfter is null) && !server.HasExited)
        {
            error ??= "/metrics did not answer at the phase's edges: the refusals are not known";
        }

        return new PhaseResult(key, phase?.Title ?? "baseline: the veterans alone", load.Clients, load.Outcome, Math.Round(clock.Elapsed.TotalSeconds, 1),
            PhaseFigures.From(index, sampler.Samples, veterans.Echoes), RefusalCounts.Delta(refusedBefore, refusedAfter), server.LogBytes() - logBefore, error);
    }

    private string Progress(Stopwatch clock, ServerSampler sampler, Veterans veterans)
    {
        var last = sampler.Samples.LastOrDefault();
        var echoes = veterans.Echoes;
        return $"hostile · {Volatile.Read(ref _doing)} · {Format.Seconds(clock.Elapsed.TotalSeconds)} · RSS {(last is null ? "-" : Format.Bytes(last.RssKiB * 1024.0))}"
            + $" · fds {last?.Descriptors.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}"
            + $" · veterans {echoes.Count(e => e.Ok)} ok, {echoes.Count(e => !e.Ok)} unserved";
    }
}
