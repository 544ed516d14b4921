using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace EchoBridge.Bench.Suite;

/// <summary>Where the running servers listen, for the peers' load arguments.</summary>
public sealed record PeerEndpoints(
    int RefechoPort,
    int EchoBridgePort,
    string EchoBridgeUnixPath,
    Uri EchoBridgeHttp,
    Uri CeilingHttp,
    int WebsockifyPort);

/// <summary>A server the suite started: its process (whose id the load reports CPU for) and its kind.</summary>
public sealed record RunningServer(ServerKind Kind, Process Process);

/// <summary>
/// Starts the suite's servers, each pinned to the server CPU on a free loopback port, and waits until each serves.
/// A server that exits or does not become ready in time fails with its log's last lines.
/// </summary>
public sealed class Servers(SuiteSettings settings, ProcessSupervisor supervisor, string logDirectory)
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    // Bridge:MaxClientConnections and Bridge:MaxSessions as shipped (EchoBridge lowers a default to fit its descriptors;
    // a setting given is checked against them instead, so it is given only when needed).
    private const int DefaultBridgeClients = 1000;
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };

    // A name of its own per suite run, so that suites running at once never share a socket.
    private readonly string _unixPath = Path.Combine(Path.GetTempPath(), $"eb-suite-{Guid.NewGuid():N}"[..17] + ".sock");

    /// <summary>The endpoints of the servers started last (ports are picked afresh at each start).</summary>
    public PeerEndpoints Endpoints { get; private set; } = new(0, 0, "", new Uri("http://127.0.0.1/"), new Uri("http://127.0.0.1/"), 0);

    /// <summary>
    /// Starts <paramref name="kinds"/> (refecho first: websockify relays to it); EchoBridge admits
    /// <paramref name="bridgeClients"/> hub and WebSocket clients at once if that is more than its default.
    /// </summary>
    public async Task<IReadOnlyDictionary<ServerKind, RunningServer>> StartAsync(IEnumerable<ServerKind> kinds, string label,
        CancellationToken cancellationToken, int bridgeClients = 0)
    {
        var started = new Dictionary<ServerKind, RunningServer>();
        foreach (var kind in kinds.Distinct().Order())
        {
            started[kind] = await StartAsync(kind, label, bridgeClients, cancellationToken);
        }

        return started;
    }

    /// <summary>Stops every server in <paramref name="servers"/>.</summary>
    public async Task StopAsync(IEnumerable<RunningServer> servers)
    {
        foreach (var server in servers)
        {
            await supervisor.StopAsync(server.Process);
        }
    }

    /// <summary>Starts EchoBridge and times it from spawn until its TCP echo port accepts a connection.</summary>
    public async Task<double> ColdStartAsync(int attempt, CancellationToken cancellationToken)
    {
        var port = FreePorts.Take(udpToo: true);
        var clock = Stopwatch.StartNew();
        var process = StartEchoBridge(port, FreePorts.Take(), $"coldstart-{attempt}");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ReadyTimeout);
            while (!await AcceptsAsync(port, timeout.Token))
            {
                ThrowIfExited(process, "EchoBridge", $"coldstart-{attempt}");
                await Task.Delay(1, timeout.Token); // poll tightly: this is the figure
            }

            return clock.Elapsed.TotalSeconds;
        }
        finally
        {
            await supervisor.StopAsync(process);
        }
    }

    private async Task<RunningServer> StartAsync(ServerKind kind, string label, int bridgeClients, CancellationToken cancellationToken)
    {
        Process process;
        Func<CancellationToken, Task<bool>> ready;
        var programs = settings.Programs;
        switch (kind)
        {
            case ServerKind.Refecho:
                var refechoPort = FreePorts.Take();
                process = supervisor.Start(programs.Refecho, [Invariant(refechoPort)], settings.ServerCpu, log: Log(kind, label));
                ready = token => AcceptsAsync(refechoPort, token);
                Endpoints = Endpoints with { RefechoPort = refechoPort };
                break;
            case ServerKind.EchoBridge:
                var port = FreePorts.Take(udpToo: true);
                var http = FreePorts.Take();
                process = StartEchoBridge(port, http, label, bridgeClients);
                var readyz = new Uri($"http://127.0.0.1:{Invariant(http)}/readyz");
                ready = token => RespondsAsync(HttpMethod.Get, readyz, token);
                Endpoints = Endpoints with
                {
                    EchoBridgePort = port, EchoBridgeUnixPath = _unixPath, EchoBridgeHttp = new Uri($"http://127.0.0.1:{Invariant(http)}/"),
                };
                break;
            case ServerKind.Ceiling:
                var ceiling = FreePorts.Take();
                var url = $"http://127.0.0.1:{Invariant(ceiling)}";
                process = supervisor.Start(programs.Ceiling, ["--urls", url], settings.ServerCpu,
                    Path.GetDirectoryName(Path.GetFullPath(programs.Ceiling)), Log(kind, label));
                var negotiate = new Uri($"{url}{Contracts.BridgeHubRoute.Path}/negotiate?negotiateVersion=1");
                ready = token => RespondsAsync(HttpMethod.Post, negotiate, token);
                Endpoints = Endpoints with { CeilingHttp = new Uri(url + "/") };
                break;
            case ServerKind.Websockify:
                var websockify = FreePorts.Take();
                process = supervisor.Start(programs.Websockify ?? "websockify",
                    [$"127.0.0.1:{Invariant(websockify)}", $"127.0.0.1:{Invariant(Endpoints.RefechoPort)}"], settings.ServerCpu, log: Log(kind, label));
                ready = token => AcceptsAsync(websockify, token);
                Endpoints = Endpoints with { WebsockifyPort = websockify };
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadyTimeout);
        try
        {
            while (!await ready(timeout.Token))
            {
                ThrowIfExited(process, kind.ToString(), label);
                await Task.Delay(50, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SuiteException($"{kind} did not become ready within {ReadyTimeout.TotalSeconds} s; its log: {Log(kind, label)}");
        }

        return new RunningServer(kind, process);
    }

    // EchoBridge as shipped (telnet on, its default), minus what would distort a benchmark: the UDP rate limit, the
    // bridge's send rate limit (500 a second per hub connection refuses a closed loop), the per-address caps (every
    // bench client comes from 127.0.0.1), and logs below Warning. An idle run of more clients raises the totals too.
    private Process StartEchoBridge(int port, int http, string label, int bridgeClients = 0)
    {
        string[] clients = bridgeClients > DefaultBridgeClients
            ? [$"--Bridge:MaxClientConnections={Invariant(bridgeClients)}", $"--Bridge:MaxSessions={Invariant(bridgeClients)}"]
            : [];
        var arguments = settings.EchoBridgeArguments.Concat(clients).Concat(
        [
            "--Bridge:MaxClientConnectionsPerAddress=100000",
            "--Listener:MaxConnectionsPerAddress=100000",
            $"--Listener:Port={Invariant(port)}",
            $"--Listener:Unix:Path={_unixPath}",
            "--Listener:Udp:RateLimitPerSecond=0",
            "--Bridge:SendRatePerSecond=1000000",
            "--Bridge:SendBurst=1000000",
            $"--Kestrel:Endpoints:Http:Url=http://127.0.0.1:{Invariant(http)}",
            "--Serilog:MinimumLevel:Default=Warning",
        ]);

        // Its content root is its own folder, so its appsettings.json applies.
        var program = settings.Programs.EchoBridge;
        return supervisor.Start(program, arguments, settings.ServerCpu, Path.GetDirectoryName(Path.GetFullPath(program)),
            Log(ServerKind.EchoBridge, label));
    }

    private string Log(ServerKind kind, string label) =>
        Path.Combine(logDirectory, $"{kind.ToString().ToLowerInvariant()}-{label}.log");

    private void ThrowIfExited(Process process, string name, string label)
    {
        if (process.HasExited)
        {
            var log = Path.Combine(logDirectory, $"{name.ToLowerInvariant()}-{label}.log");
            var tail = File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(20)) : "";
            throw new SuiteException($"{name} exited with code {process.ExitCode} before it was ready; its log ({log}):\n{tail}");
        }
    }

    private static async Task<bool> AcceptsAsync(int port, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<bool> RespondsAsync(HttpMethod method, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Http.SendAsync(new HttpRequestMessage(method, url), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false; // this request's own timeout
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The suite cannot go on: a server would not start, a program is missing.</summary>
public sealed class SuiteException(string message) : Exception(message);
