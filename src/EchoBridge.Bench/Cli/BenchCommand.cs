using System.CommandLine;
using System.CommandLine.Parsing;
using EchoBridge.Bench.Load;
using EchoBridge.Bench.Modes;

namespace EchoBridge.Bench.Cli;

/// <summary>
/// The command line: <c>EchoBridge.Bench MODE [options]</c>. Parse errors and bad values print one clear line and
/// exit 2; a finished run exits 0, or 1 on integrity errors, lost echoes or connection failures; 130 when interrupted.
/// </summary>
public sealed class BenchCommand
{
    /// <summary>Exit code of a command line that could not be used.</summary>
    public const int UsageError = 2;

    /// <summary>Exit code of a run stopped by Ctrl+C or SIGTERM (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;

    // How long a stopping run may take after Ctrl+C before the process is ended anyway: the runs' own grace, plus a bit.
    private static readonly TimeSpan TerminationTimeout = EchoMode.Grace + TimeSpan.FromSeconds(3);

    private readonly Argument<BenchMode> _mode = new("mode")
    {
        HelpName = Names<BenchMode>("|"),
        CustomParser = ParseName<BenchMode>,
        Description = "tcp, unix, udp, hub, websocket: closed-loop echo; idle: server memory per idle connection; bulk: one connection streaming chunks",
    };

    private readonly Option<int?> _connections = new("--connections", "-c")
    {
        Description = "Connections [default: 50; idle 1000; bulk is always 1]",
    };

    private readonly Option<int?> _size = new("--size", "-s")
    {
        Description = "Message bytes, ending in '\\n' [default: 64; bulk: chunk bytes, 65536; idle: one message per connection, 0 = none]",
    };

    private readonly Option<double> _duration = new("--duration", "-d")
    {
        Description = "Seconds measured, after the warmup",
        DefaultValueFactory = _ => 10,
    };

    private readonly Option<double> _warmup = new("--warmup", "-w")
    {
        Description = "Seconds run before measuring (idle: settle time before the server's memory is read)",
        DefaultValueFactory = _ => 2,
    };

    private readonly Option<string> _host = new("--host")
    {
        Description = "TCP and UDP host",
        DefaultValueFactory = _ => "127.0.0.1",
    };

    private readonly Option<int> _port = new("--port", "-p")
    {
        Description = "TCP and UDP port",
        DefaultValueFactory = _ => 9999,
    };

    private readonly Option<string?> _path = new("--path")
    {
        Description = "Unix socket [default: the listener's: $XDG_RUNTIME_DIR/echobridge.sock, else /tmp/echobridge.sock]",
    };

    private readonly Option<string> _hubUrl = new("--hub-url")
    {
        Description = "The server's base URL, or the hub's full URL",
        DefaultValueFactory = _ => "http://127.0.0.1:8080",
    };

    private readonly Option<string> _hubTarget = new("--hub-target")
    {
        Description = "The bridge target the hub opens",
        DefaultValueFactory = _ => "echo",
    };

    private readonly Option<bool> _hubBytes = new("--hub-bytes")
    {
        Description = "Send with SendBytes (binary) instead of Send (text)",
    };

    private readonly Option<HubProtocol> _hubProtocol = new("--hub-protocol")
    {
        HelpName = Names<HubProtocol>("|"),
        CustomParser = ParseName<HubProtocol>,
        Description = "The hub protocol of the hub loop and of --watchers: json (as browsers speak it) or messagepack [default: json]",
    };

    private readonly Option<bool> _hubNoWait = new("--hub-no-wait")
    {
        Description = "Send fire-and-forget (SignalR SendAsync): no completion message per send",
    };

    private readonly Option<int> _hubSessions = new("--hub-sessions-per-connection")
    {
        Description = "hub: bridge sessions sharing one hub connection, as the consoles of one dashboard tab do",
        DefaultValueFactory = _ => 1,
    };

    private readonly Option<string> _url = new("--url")
    {
        Description = "websocket, idle --via websocket: the WebSocket URL (EchoBridge's /websockify with its target, or websockify's)",
        DefaultValueFactory = _ => WebSocketUrl.Default,
    };

    private readonly Option<int> _watchers = new("--watchers")
    {
        Description = "Dashboard Watch streams held open on --hub-url during a tcp, unix, udp, hub, websocket or idle run, as open dashboard tabs",
        DefaultValueFactory = _ => 0,
    };

    private readonly Option<Via> _via = new("--via")
    {
        HelpName = Names<Via>("|"),
        CustomParser = ParseName<Via>,
        Description = "Transport of idle (tcp, unix, hub, websocket) and bulk (tcp, unix) [default: tcp]",
    };

    private readonly Option<int?> _serverPid = new("--server-pid")
    {
        Description = "The server's process id: its CPU use is reported, and idle reads its memory (required for idle)",
    };

    private readonly Option<int> _warmConnections = new("--warm-connections")
    {
        Description = "idle: connections opened first and kept open, before the baseline is read, so one-time costs are not counted (0 = cold)",
        DefaultValueFactory = _ => 50,
    };

    private readonly Option<int> _warmRounds = new("--warm-rounds")
    {
        Description = "idle: how many times the warm-up connections are opened (all kept), --warmup apart, so the JIT has finished with the connection code before the baseline",
        DefaultValueFactory = _ => 8,
    };

    private readonly Option<bool> _json = new("--json")
    {
        Description = "Print one JSON object instead of the table",
    };

    private readonly Option<bool> _noProgress = new("--no-progress")
    {
        Description = "No progress line on stderr",
    };

    /// <summary>Parses <paramref name="args"/> and runs the bench; returns the process exit code.</summary>
    public async Task<int> InvokeAsync(string[] args)
    {
        var root = new RootCommand("EchoBridge load generator: closed-loop echo (like echoload) over TCP, Unix, UDP, the hub and WebSockets, idle memory and bulk throughput. `EchoBridge.Bench suite --help`: every peer side by side, with a report and charts; `hostile --help`: the server against hostile clients.")
        {
            _mode, _connections, _size, _duration, _warmup, _host, _port, _path, _hubUrl, _hubTarget, _hubBytes, _hubProtocol, _hubNoWait,
            _hubSessions, _url, _watchers, _via, _serverPid, _warmConnections, _warmRounds, _json, _noProgress,
        };
        root.SetAction(RunAsync);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync($"error: {error.Message}");
            }

            await Console.Error.WriteLineAsync("Run with --help for the options.");
            return UsageError;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TerminationTimeout });
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken cancellationToken)
    {
        var (settings, error) = Resolve(parsed);
        if (settings is null)
        {
            await Console.Error.WriteLineAsync($"error: {error}");
            return UsageError;
        }

        if (settings.Transport != Via.Hub)
        {
            // Raw sockets only: the SignalR client runs more of its own code in continuations; leave it on the pool.
            InlineCompletions.Prefer();
        }

        var exitCode = settings.Mode switch
        {
            BenchMode.Idle => await IdleMode.RunAsync(settings, cancellationToken),
            BenchMode.Bulk => await BulkMode.RunAsync(settings, cancellationToken),
            _ => await EchoMode.RunAsync(settings, cancellationToken),
        };
        if (cancellationToken.IsCancellationRequested)
        {
            // The report (if any) covers the shorter run honestly, but a script must not take it for a full one.
            await Console.Error.WriteLineAsync("stopped early (interrupted): the report covers only the time that ran");
            return Interrupted;
        }

        return exitCode;
    }

    /// <summary>Applies the per-mode defaults and checks every value against the mode; returns the settings or why not.</summary>
    private (BenchSettings? Settings, string? Error) Resolve(ParseResult parsed)
    {
        var mode = parsed.GetValue(_mode);
        var via = parsed.GetValue(_via);
        var connections = parsed.GetValue(_connections) ?? mode switch
        {
            BenchMode.Idle => 1000,
            BenchMode.Bulk => 1,
            _ => 50,
        };
        var size = parsed.GetValue(_size) ?? (mode == BenchMode.Bulk ? 65536 : 64);
        var duration = parsed.GetValue(_duration);
        var warmup = parsed.GetValue(_warmup);
        var port = parsed.GetValue(_port);
        var pid = parsed.GetValue(_serverPid);
        var warmConnections = parsed.GetValue(_warmConnections);
        var warmRounds = parsed.GetValue(_warmRounds);

        string? error = (mode, via) switch
        {
            _ when connections < 1 => "--connections must be at least 1",
            (BenchMode.Bulk, _) when connections != 1 => "bulk uses exactly one connection",
            (BenchMode.Bulk, Via.Hub or Via.WebSocket) => "bulk runs over tcp or unix",
            (BenchMode.Idle, _) when size is < 0 or 1 => "idle --size must be 0 (no message) or at least 2",
            (not BenchMode.Idle, _) when size < 2 => "--size must be at least 2 (a letter and the '\\n')",
            _ when size > MaxSize(mode) => $"--size must be at most {MaxSize(mode)} for {mode.ToString().ToLowerInvariant()}",
            _ when !(duration > 0 && duration <= 3600) => "--duration must be more than 0 and at most 3600 seconds",
            _ when !(warmup >= 0 && warmup <= 600) => "--warmup must be between 0 and 600 seconds",
            _ when port is < 1 or > 65535 => "--port must be between 1 and 65535",
            (BenchMode.Bulk, _) when parsed.GetValue(_watchers) != 0 => "--watchers is for the tcp, unix, udp, hub, websocket and idle modes",
            _ when parsed.GetValue(_watchers) is < 0 or > 100 => "--watchers must be between 0 and 100",
            (not BenchMode.Hub, _) when parsed.GetValue(_hubSessions) != 1 => "--hub-sessions-per-connection is for the hub mode",
            _ when parsed.GetValue(_hubSessions) < 1 => "--hub-sessions-per-connection must be at least 1",
            _ when warmConnections < 0 => "--warm-connections must be 0 or more",
            _ when warmRounds is < 1 or > 100 => "--warm-rounds must be between 1 and 100",
            (BenchMode.Idle, _) when pid is null => "idle needs --server-pid (the server's memory is read from /proc/PID/status)",
            _ when pid is { } p && !Directory.Exists($"/proc/{p}") => $"--server-pid {pid}: no such process",
            _ => null,
        };

        var hubUrl = HubUrl(parsed.GetValue(_hubUrl));
        error ??= hubUrl is null ? "--hub-url must be an absolute http:// or https:// URL" : null;
        var webSocketUrl = WebSocketUrl.Parse(parsed.GetValue(_url), out var urlError);
        error ??= urlError;
        if (error is not null)
        {
            return (null, error);
        }

        return (new BenchSettings(
            mode,
            via,
            connections,
            size,
            TimeSpan.FromSeconds(duration),
            TimeSpan.FromSeconds(warmup),
            parsed.GetValue(_host)!,
            port,
            parsed.GetValue(_path) ?? DefaultUnixPath(),
            hubUrl!,
            parsed.GetValue(_hubTarget)!,
            parsed.GetValue(_hubBytes),
            parsed.GetValue(_hubProtocol),
            parsed.GetValue(_hubNoWait),
            parsed.GetValue(_hubSessions),
            webSocketUrl!,
            parsed.GetValue(_watchers),
            pid,
            warmConnections,
            warmRounds,
            parsed.GetValue(_json),
            !parsed.GetValue(_noProgress)), null);
    }

    /// <summary>Modes and transports are written in lower case on the command line: <c>tcp</c>, <c>idle</c>.</summary>
    private static T ParseName<T>(ArgumentResult result)
        where T : struct, Enum
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (Enum.GetNames<T>().FirstOrDefault(n => n.Equals(text, StringComparison.OrdinalIgnoreCase)) is { } name)
        {
            return Enum.Parse<T>(name);
        }

        result.AddError($"'{text}' is not one of {Names<T>(", ")}");
        return default;
    }

    private static string Names<T>(string separator)
        where T : struct, Enum => string.Join(separator, Enum.GetNames<T>().Select(n => n.ToLowerInvariant()));

    // A UDP datagram carries at most 65507 bytes; closed-loop modes keep 26 messages in memory, so stay sensible.
    private static int MaxSize(BenchMode mode) => mode == BenchMode.Udp ? 65507 : 16 << 20;

    /// <summary>The hub's URL: a bare base address gets the hub's route appended.</summary>
    private static Uri? HubUrl(string? text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        return url.AbsolutePath == "/" ? new Uri(url, Contracts.BridgeHubRoute.Path) : url;
    }

    /// <summary>The listener's own default (see <c>UnixSocketPath.Resolve</c> in the host).</summary>
    private static string DefaultUnixPath()
    {
        var runtimeDir = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        var directory = !string.IsNullOrEmpty(runtimeDir) && Directory.Exists(runtimeDir) ? runtimeDir : Path.GetTempPath();
        return Path.Combine(directory, "echobridge.sock");
    }
}
