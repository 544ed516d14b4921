using System.CommandLine;
using System.Globalization;
using EchoBridge.Bench.Cli;
using EchoBridge.Bench.Suite;

namespace EchoBridge.Bench.Hostile;

/// <summary>
/// <c>EchoBridge.Bench hostile</c>: the published EchoBridge under a descriptor limit, met by each kind of hostile client
/// in turn while veteran sessions keep echoing; a table per phase of its memory, CPU, descriptors, refusals and log
/// growth. Exit code 0 when the server survived and every veteran echo was served, 1 otherwise, 2 for a bad command
/// line, 130 when stopped by Ctrl+C (the report then covers what ran, and the server has been stopped).
/// </summary>
public sealed class HostileCommand
{
    private readonly Option<string> _echoBridge = new("--echobridge") { Description = "The published EchoBridge (executable or .dll)", Required = true };
    private readonly Option<string?> _output = new("--output", "-o") { Description = "Folder of hostile.md, hostile.json and the server's logs [default: bench/results/hostile-DATE-COMMIT/]" };
    private readonly Option<bool> _quick = new("--quick") { Description = "About a minute: 6 s phases, 2 s settles, fewer clients (each count can still be given)" };
    private readonly Option<int> _nofile = new("--nofile") { Description = "The server's descriptor limit (prlimit --nofile=N:N)", DefaultValueFactory = _ => 4096 };
    private readonly Option<double?> _phaseSeconds = new("--phase-seconds") { Description = "Seconds each phase's clients come and stay [default: 30; quick 6]" };
    private readonly Option<double?> _settleSeconds = new("--settle-seconds") { Description = "Seconds the server is watched after they leave [default: 10; quick 2]" };
    private readonly Option<int> _veterans = new("--veterans") { Description = "Veteran TCP sessions echoing throughout", DefaultValueFactory = _ => 4 };
    private readonly Option<int?> _flood = new("--flood") { Description = "(a) TCP connections of the flood [default: 1.5 × --nofile]; 0 skips the phase" };
    private readonly Option<int?> _udpDatagrams = new("--udp-datagrams") { Description = "(b) UDP datagrams, each from a new port [default: 10100; quick 2000]; 0 skips" };
    private readonly Option<int> _udpAddresses = new("--udp-addresses") { Description = "(b) loopback addresses they come from", DefaultValueFactory = _ => 5 };
    private readonly Option<int?> _stalled = new("--stalled") { Description = "(c) clients that send and never read [default: 1000; quick 300]; 0 skips" };
    private readonly Option<int?> _hubConnections = new("--hub-connections") { Description = "(d) hub connections [default: 300; quick 60]" };
    private readonly Option<int> _hubSessions = new("--hub-sessions") { Description = "(d) bridge sessions each hub connection opens", DefaultValueFactory = _ => 8 };
    private readonly Option<int?> _webSockets = new("--websockets") { Description = "(d) /websockify WebSockets [default: --nofile / 4, past the fitted cap of hub and WebSocket connections; quick 60]; with no hub connections either, 0 skips" };
    private readonly Option<int?> _refusedCalls = new("--refused-calls") { Description = "(e) refused hub calls [default: 20000; quick 2000]; 0 skips" };
    private readonly Option<int> _nameLength = new("--refused-name-length") { Description = "(e) characters of each refused call's name", DefaultValueFactory = _ => 2048 };
    private readonly Option<int> _serverCpu = new("--server-cpu") { Description = "The CPU the server is pinned to", DefaultValueFactory = _ => 0 };

    private readonly Option<string[]> _echoBridgeArguments = new("--echobridge-arg")
    {
        Description = "A setting for EchoBridge (repeatable): --echobridge-arg=--Listener:StallTimeoutSeconds=10 [default: none, as shipped]",
    };

    private readonly Option<bool> _noProgress = new("--no-progress") { Description = "No progress line on stderr" };

    /// <summary>Parses <paramref name="args"/> (after <c>hostile</c>) and runs; returns the exit code.</summary>
    public async Task<int> InvokeAsync(string[] args)
    {
        var root = Root("EchoBridge.Bench hostile: the published EchoBridge under a descriptor limit against each kind of hostile client in turn, "
            + "veteran sessions echoing throughout; RSS, CPU, descriptors, refusals and log growth per phase, as Markdown and JSON.");
        root.SetAction(async (parsed, cancellationToken) =>
        {
            var (settings, error) = Resolve(parsed, args);
            if (settings is null)
            {
                await Console.Error.WriteLineAsync($"error: {error}");
                return BenchCommand.UsageError;
            }

            return await RunAsync(settings, Console.Out, Console.Error, cancellationToken);
        });

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync($"error: {error.Message}");
            }

            await Console.Error.WriteLineAsync("Run with --help for the options.");
            return BenchCommand.UsageError;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(20) });
    }

    /// <summary>
    /// Runs with <paramref name="settings"/>, writes the report and JSON, prints the report to <paramref name="output"/> and
    /// why the run could not be made to <paramref name="errors"/>; returns the exit code.
    /// </summary>
    public static async Task<int> RunAsync(HostileSettings settings, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        HostileResult result;
        try
        {
            result = await new HostileRunner(settings, errors).RunAsync(cancellationToken);
        }
        catch (HostileException ex)
        {
            await errors.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await errors.WriteLineAsync("stopped (interrupted) before the server was ready: nothing was measured");
            return BenchCommand.Interrupted;
        }

        await output.WriteAsync(HostileReport.Write(result, settings.Output));
        await errors.WriteLineAsync($"report and JSON in {settings.Output}");
        if (result.Interrupted)
        {
            return BenchCommand.Interrupted;
        }

        return result.Ok ? 0 : 1;
    }

    /// <summary>Applies the defaults (quick or not) and checks every value; returns the settings or every error, one per line.</summary>
    public (HostileSettings? Settings, string? Error) Resolve(ParseResult parsed, string[] args)
    {
        var quick = parsed.GetValue(_quick);
        var nofile = parsed.GetValue(_nofile);
        var phase = parsed.GetValue(_phaseSeconds) ?? (quick ? 6 : 30);
        var settle = parsed.GetValue(_settleSeconds) ?? (quick ? 2 : 10);
        var flood = parsed.GetValue(_flood) ?? nofile + nofile / 2;
        var udp = parsed.GetValue(_udpDatagrams) ?? (quick ? 2000 : 10_100);
        var udpAddresses = parsed.GetValue(_udpAddresses);
        var stalled = parsed.GetValue(_stalled) ?? (quick ? 300 : 1000);
        var hubs = parsed.GetValue(_hubConnections) ?? (quick ? 60 : 300);
        var hubSessions = parsed.GetValue(_hubSessions);
        var webSockets = parsed.GetValue(_webSockets) ?? (quick ? 60 : nofile / 4);
        var refused = parsed.GetValue(_refusedCalls) ?? (quick ? 2000 : 20_000);
        var nameLength = parsed.GetValue(_nameLength);
        var veterans = parsed.GetValue(_veterans);
        var serverCpu = parsed.GetValue(_serverCpu);
        var program = Path.GetFullPath(parsed.GetValue(_echoBridge)!);
        string? Check(bool wrong, string error) => wrong ? error : null;
        var errors = new[]
        {
            Check(!File.Exists(program), $"--echobridge: no such file: {program}"),
            Check(nofile is < 256 or > 1_048_576, "--nofile must be between 256 and 1048576"),
            Check(!(phase >= 1 && phase <= 3600), "--phase-seconds must be between 1 and 3600"),
            Check(!(settle >= 0 && settle <= 600), "--settle-seconds must be between 0 and 600"),
            Check(veterans is < 1 or > 100, "--veterans must be between 1 and 100"),
            Check(Addresses(flood, 500), "--flood must be between 0 and 120000 (500 a loopback address)"),
            Check(udp is < 0 or > 10_000_000, "--udp-datagrams must be between 0 and 10000000"),
            Check(udpAddresses is < 1 or > 200, "--udp-addresses must be between 1 and 200"),
            Check(Addresses(stalled, 500), "--stalled must be between 0 and 120000 (500 a loopback address)"),
            Check(hubs < 0 || webSockets < 0 || LoopbackSources.AddressesFor(hubs, 90) + LoopbackSources.AddressesFor(webSockets, 90) > 240,
                "--hub-connections and --websockets must be 0 or more, 21600 at most together (90 a loopback address)"),
            Check(hubSessions is < 1 or > 64, "--hub-sessions must be between 1 and 64"),
            Check(refused is < 0 or > 10_000_000, "--refused-calls must be between 0 and 10000000"),
            Check(nameLength is < 1 or > 8192, "--refused-name-length must be between 1 and 8192 (the hub refuses messages over 32 KiB)"),
            Check(serverCpu < 0 || serverCpu >= Environment.ProcessorCount, $"--server-cpu must be a CPU of this machine (0-{Environment.ProcessorCount - 1})"),
            Check(ProgramPath.OnPath("taskset") is null, "needs taskset on PATH (util-linux): the server is pinned with it"),
            Check(ProgramPath.OnPath("prlimit") is null, "needs prlimit on PATH (util-linux): the server's descriptor limit is set with it"),
        }.OfType<string>().ToList();

        var output = parsed.GetValue(_output) ?? ProgramPath.ResultsFolder("hostile-");
        if (output is null)
        {
            errors.Add("not in a git repository, so there is no default bench/results/hostile-DATE-COMMIT/: give --output DIR");
        }

        if (errors.Count > 0)
        {
            return (null, string.Join("\nerror: ", errors));
        }

        return (new HostileSettings
        {
            EchoBridge = program,
            Output = Path.GetFullPath(output!),
            Nofile = nofile,
            PhaseDuration = TimeSpan.FromSeconds(phase),
            Settle = TimeSpan.FromSeconds(settle),
            Baseline = TimeSpan.FromSeconds(quick ? 2 : 5),
            Veterans = veterans,
            FloodConnections = flood,
            UdpDatagrams = udp,
            UdpAddresses = udpAddresses,
            StalledReaders = stalled,
            HubConnections = hubs,
            SessionsPerHubConnection = hubSessions,
            WebSockets = webSockets,
            RefusedCalls = refused,
            RefusedNameLength = nameLength,
            ServerCpu = serverCpu,
            EchoBridgeArguments = parsed.GetValue(_echoBridgeArguments) ?? [],
            Progress = !parsed.GetValue(_noProgress),
            CommandLine = "EchoBridge.Bench hostile " + string.Join(' ', args.Select(ProgramPath.Quote)),
        }, null);
    }

    private RootCommand Root(string description) => new(description)
    {
        _echoBridge, _output, _quick, _nofile, _phaseSeconds, _settleSeconds, _veterans, _flood, _udpDatagrams, _udpAddresses, _stalled,
        _hubConnections, _hubSessions, _webSockets, _refusedCalls, _nameLength, _serverCpu, _echoBridgeArguments, _noProgress,
    };

    // A phase's clients spread over at most 240 loopback addresses (127.0.0.10 to .249).
    private static bool Addresses(int clients, int perAddress) => clients < 0 || LoopbackSources.AddressesFor(clients, perAddress) > 240;

    /// <summary>Parses <paramref name="args"/> without running anything: the settings, or the errors (for tests).</summary>
    public (HostileSettings? Settings, string? Error) Parse(string[] args)
    {
        var parsed = Root("").Parse(args);
        return parsed.Errors.Count > 0 ? (null, string.Join("\n", parsed.Errors.Select(e => e.Message))) : Resolve(parsed, args);
    }
}
