using System.CommandLine;
using System.Globalization;
using EchoBridge.Bench.Cli;

namespace EchoBridge.Bench.Suite;

/// <summary>
/// <c>EchoBridge.Bench suite</c>: every peer side by side in one run, with a Markdown report, a JSON file of every
/// run's figures and SVG charts. It builds nothing: it is given the built programs (bench/run.sh builds them).
/// Exit code 0 when every run was clean, 1 when one failed, 2 for a bad command line, 130 when stopped by Ctrl+C
/// (the report then covers what ran, and every server it started has been stopped).
/// </summary>
public sealed class SuiteCommand
{
    private readonly Option<LoadGenerator> _load = new("--load")
    {
        Description = "The load of refecho and EchoBridge's TCP: bench (EchoBridge.Bench) or echoload (the C load generator, to cross-check)",
        CustomParser = result => Parse(result.Tokens[0].Value, LoadGenerator.Bench, LoadGenerator.Echoload, result.AddError),
    };

    private readonly Option<int> _rounds = new("--rounds") { Description = "Rounds (servers started afresh in each)", DefaultValueFactory = _ => 3 };
    private readonly Option<double> _duration = new("--duration") { Description = "Seconds measured per run", DefaultValueFactory = _ => 10 };
    private readonly Option<double> _warmup = new("--warmup") { Description = "Seconds of each run before measuring; idle: settle time", DefaultValueFactory = _ => 2 };

    private readonly Option<double> _serverWarmup = new("--server-warmup")
    {
        Description = "Seconds of unmeasured load on each freshly started .NET server, so its JIT reaches optimized code first",
        DefaultValueFactory = _ => 10,
    };

    private readonly Option<string> _shapes = new("--shapes")
    {
        Description = "CONNECTIONSxBYTES of refecho, EchoBridge TCP and Unix", DefaultValueFactory = _ => "1x64 50x64 200x64 10x16384",
    };

    private readonly Option<string> _udpShapes = new("--udp-shapes")
    {
        Description = "Shapes of EchoBridge UDP, each one of --shapes (a lost datagram fails a run) (\"\" skips)", DefaultValueFactory = _ => "1x64 50x64",
    };

    private readonly Option<string> _hubShapes = new("--hub-shapes")
    {
        Description = "Shapes of the hub peers, each one of --shapes (\"\" skips them)", DefaultValueFactory = _ => "1x64 50x64",
    };

    private readonly Option<string> _webSocketShapes = new("--websocket-shapes")
    {
        Description = "Shapes of EchoBridge's /websockify and websockify, each one of --shapes (\"\" skips them)",
        DefaultValueFactory = _ => "1x64 50x64 10x16384",
    };

    private readonly Option<string> _hubVariants = new("--hub-variants")
    {
        Description = "json or messagepack, -nowait (fire-and-forget sends), -xK (K sessions per hub connection)",
        DefaultValueFactory = _ => "json json-nowait messagepack-nowait messagepack-nowait-x5",
    };

    private readonly Option<string> _watchedShapes = new("--watched-shapes")
    {
        Description = "Shapes of EchoBridge TCP measured again while a dashboard watches (\"\" skips)", DefaultValueFactory = _ => "50x64",
    };

    private readonly Option<int> _idleConnections = new("--idle-connections")
    {
        Description = "Idle connections for memory per connection, over TCP, the hub and /websockify (0 skips)", DefaultValueFactory = _ => 1000,
    };

    private readonly Option<int> _idleWarmRounds = new("--idle-warm-rounds")
    {
        Description = "Rounds of 50 warm-up connections before the idle baseline (the bench's --warm-rounds)", DefaultValueFactory = _ => 8,
    };

    private readonly Option<int> _coldStarts = new("--cold-starts") { Description = "Cold starts of EchoBridge timed (0 skips)", DefaultValueFactory = _ => 5 };
    private readonly Option<string?> _output = new("--output", "-o") { Description = "Folder of the report, JSON and charts [default: bench/results/DATE-COMMIT/]" };
    private readonly Option<string> _echoBridge = new("--echobridge") { Description = "The published EchoBridge (executable or .dll)", Required = true };
    private readonly Option<string> _ceiling = new("--ceiling") { Description = "The built bench/ceiling/SignalRCeiling (executable or .dll)", Required = true };
    private readonly Option<string> _refecho = new("--refecho") { Description = "The built refecho", Required = true };
    private readonly Option<string?> _echoload = new("--echoload") { Description = "The built echoload (for --load echoload)" };
    private readonly Option<string?> _bench = new("--bench") { Description = "The load generator [default: this program]" };
    private readonly Option<string?> _websockify = new("--websockify") { Description = "websockify [default: on PATH; skipped if not installed]" };

    private readonly Option<string[]> _echoBridgeArguments = new("--echobridge-arg")
    {
        Description = "A setting for EchoBridge, to compare variants (repeatable): --echobridge-arg=--Listener:InlineScheduling=false",
    };

    private readonly Option<int> _serverCpu = new("--server-cpu") { Description = "The CPU the servers are pinned to", DefaultValueFactory = _ => 0 };
    private readonly Option<int> _loadCpu = new("--load-cpu") { Description = "The CPU the load is pinned to", DefaultValueFactory = _ => 1 };
    private readonly Option<bool> _noProgress = new("--no-progress") { Description = "No progress line on stderr" };

    /// <summary>Parses <paramref name="args"/> (after <c>suite</c>) and runs the suite; returns the exit code.</summary>
    public async Task<int> InvokeAsync(string[] args)
    {
        var root = new RootCommand("EchoBridge.Bench suite: every peer side by side, a Markdown report, raw JSON and SVG charts.")
        {
            _load, _rounds, _duration, _warmup, _serverWarmup, _shapes, _udpShapes, _hubShapes, _webSocketShapes, _hubVariants, _watchedShapes, _idleConnections,
            _idleWarmRounds, _coldStarts, _output, _echoBridge, _ceiling, _refecho, _echoload, _bench, _websockify, _echoBridgeArguments,
            _serverCpu, _loadCpu, _noProgress,
        };
        root.SetAction(async (parsed, cancellationToken) =>
        {
            var (settings, error) = Resolve(parsed, args);
            if (settings is null)
            {
                await Console.Error.WriteLineAsync($"error: {error}");
                return BenchCommand.UsageError;
            }

            return await RunAsync(settings, cancellationToken);
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

        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(15) });
    }

    /// <summary>Runs the suite with <paramref name="settings"/> and writes its output; returns the exit code.</summary>
    public static async Task<int> RunAsync(SuiteSettings settings, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(settings.Output);
        var logs = Path.Combine(settings.Output, "logs");
        Directory.CreateDirectory(logs);
        SuiteResult result;
        try
        {
            result = await new SuiteRunner(settings).RunAsync(logs, cancellationToken);
        }
        catch (SuiteException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }

        SuiteOutput.Write(result, settings.Output);
        await Console.Error.WriteLineAsync($"report, JSON and charts in {settings.Output}");
        if (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("stopped early (interrupted): the report covers only what ran");
            return BenchCommand.Interrupted;
        }

        return result.Ok ? 0 : 1;
    }

    private (SuiteSettings? Settings, string? Error) Resolve(ParseResult parsed, string[] args)
    {
        var errors = new List<string>();
        List<Shape> Shapes(Option<string> option)
        {
            var shapes = new List<Shape>();
            foreach (var text in Split(parsed.GetValue(option)))
            {
                if (Shape.Parse(text, out var error) is { } shape)
                {
                    shapes.Add(shape);
                }
                else
                {
                    errors.Add($"{option.Name}: {error}");
                }
            }

            return shapes;
        }

        var shapes = Shapes(_shapes);
        var udpShapes = Shapes(_udpShapes);
        var hubShapes = Shapes(_hubShapes);
        var webSocketShapes = Shapes(_webSocketShapes);
        var watchedShapes = Shapes(_watchedShapes);
        var variants = new List<HubVariant>();
        foreach (var text in Split(parsed.GetValue(_hubVariants)))
        {
            if (HubVariant.Parse(text, out var error) is { } variant)
            {
                variants.Add(variant);
            }
            else
            {
                errors.Add($"--hub-variants: {error}");
            }
        }

        errors.AddRange(udpShapes.Concat(hubShapes).Concat(webSocketShapes).Concat(watchedShapes).Where(s => !shapes.Contains(s)).Distinct()
            .Select(s => $"shape {s} of the UDP, hub, WebSocket or watched peers needs the same shape in --shapes (its ratio is to refecho's figure there)"));
        var rounds = parsed.GetValue(_rounds);
        var duration = parsed.GetValue(_duration);
        var warmup = parsed.GetValue(_warmup);
        var serverWarmup = parsed.GetValue(_serverWarmup);
        var (serverCpu, loadCpu) = (parsed.GetValue(_serverCpu), parsed.GetValue(_loadCpu));
        var load = parsed.GetValue(_load);
        string? Check(bool wrong, string error) => wrong ? error : null;
        errors.AddRange(new[]
        {
            Check(shapes.Count == 0, "--shapes needs at least one shape (refecho's figures are what every ratio divides by)"),
            Check(rounds is < 1 or > 100, "--rounds must be between 1 and 100"),
            Check(!(duration > 0 && duration <= 3600), "--duration must be more than 0 and at most 3600 seconds"),
            Check(!(warmup >= 0 && warmup <= 600), "--warmup must be between 0 and 600 seconds"),
            Check(!(serverWarmup >= 0 && serverWarmup <= 600), "--server-warmup must be between 0 and 600 seconds"),
            Check(parsed.GetValue(_idleConnections) is < 0 or > 100_000, "--idle-connections must be between 0 and 100000"),
            Check(parsed.GetValue(_idleWarmRounds) is < 1 or > 100, "--idle-warm-rounds must be between 1 and 100"),
            Check(parsed.GetValue(_coldStarts) is < 0 or > 100, "--cold-starts must be between 0 and 100"),
            Check(serverCpu == loadCpu, "--server-cpu and --load-cpu must differ: the load must not share the servers' CPU"),
            Check(Math.Max(serverCpu, loadCpu) >= Environment.ProcessorCount || Math.Min(serverCpu, loadCpu) < 0,
                $"--server-cpu and --load-cpu must be CPUs of this machine (0-{Environment.ProcessorCount - 1})"),
            Check(load == LoadGenerator.Echoload && parsed.GetValue(_echoload) is null, "--load echoload needs --echoload PATH"),
            Check(ProgramPath.OnPath("taskset") is null, "needs taskset on PATH (util-linux): every process is pinned with it"),
        }.OfType<string>());

        // Full paths: the servers run in their own folders.
        static string? Full(string? path) => path is null ? null : Path.GetFullPath(path);
        var programs = new SuitePrograms(
            Full(parsed.GetValue(_echoBridge))!,
            Full(parsed.GetValue(_ceiling))!,
            Full(parsed.GetValue(_refecho))!,
            Full(parsed.GetValue(_bench)) ?? ProgramPath.Self(),
            Full(parsed.GetValue(_echoload)),
            Full(parsed.GetValue(_websockify)) ?? ProgramPath.OnPath("websockify"));
        foreach (var (name, path) in new[] { ("--echobridge", programs.EchoBridge), ("--ceiling", programs.Ceiling), ("--refecho", programs.Refecho),
            ("--bench", programs.Bench), ("--echoload", programs.Echoload), ("--websockify", parsed.GetValue(_websockify)) })
        {
            if (path is not null && !File.Exists(path))
            {
                errors.Add($"{name}: no such file: {path}");
            }
        }

        var output = parsed.GetValue(_output) ?? ProgramPath.ResultsFolder("");
        if (output is null)
        {
            errors.Add("not in a git repository, so there is no default bench/results/DATE-COMMIT/: give --output DIR");
        }

        if (errors.Count > 0)
        {
            return (null, string.Join("\nerror: ", errors));
        }

        return (new SuiteSettings
        {
            Load = load,
            Rounds = rounds,
            Duration = TimeSpan.FromSeconds(duration),
            Warmup = TimeSpan.FromSeconds(warmup),
            ServerWarmup = TimeSpan.FromSeconds(serverWarmup),
            Shapes = shapes,
            UdpShapes = udpShapes,
            HubShapes = hubShapes,
            WebSocketShapes = webSocketShapes,
            HubVariants = variants,
            WatchedShapes = watchedShapes,
            IdleConnections = parsed.GetValue(_idleConnections),
            IdleWarmRounds = parsed.GetValue(_idleWarmRounds),
            ColdStarts = parsed.GetValue(_coldStarts),
            Output = Path.GetFullPath(output!),
            Programs = programs,
            EchoBridgeArguments = parsed.GetValue(_echoBridgeArguments) ?? [],
            ServerCpu = serverCpu,
            LoadCpu = loadCpu,
            Progress = !parsed.GetValue(_noProgress),
            CommandLine = "EchoBridge.Bench suite " + string.Join(' ', args.Select(ProgramPath.Quote)),
        }, null);
    }

    private static IEnumerable<string> Split(string? list) =>
        (list ?? "").Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static T Parse<T>(string text, T first, T second, Action<string> error)
        where T : struct, Enum
    {
        foreach (var value in new[] { first, second })
        {
            if (text.Equals(value.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        error($"'{text}' is not one of {first.ToString().ToLowerInvariant()}, {second.ToString().ToLowerInvariant()}");
        return first;
    }
}
