using System.Diagnostics;
using System.Globalization;
using System.Net;
using EchoBridge.Bench.Suite;

namespace EchoBridge.Bench.Hostile;

/// <summary>
/// The published EchoBridge as the hostile run starts it: pinned (<c>taskset</c>, through the suite's supervisor) and
/// under <c>prlimit --nofile=N:N</c>, on free loopback ports, with its shipped settings except the ports, a socket path of
/// its own and a JSON log file whose growth is measured. Both exec, so the process id is the server's own.
/// </summary>
public sealed class HostileServer : IDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _console;
    private readonly CancellationTokenSource _exited = new();

    private HostileServer(Process process, int echoPort, Uri http, string logDirectory, string console)
    {
        _process = process;
        EchoPort = echoPort;
        Http = http;
        LogDirectory = logDirectory;
        _console = console;
        Metrics = new HttpClient { BaseAddress = http, Timeout = TimeSpan.FromSeconds(5) };
        _process.Exited += OnExited; // the supervisor raises its events: it logs the output
        if (_process.HasExited)
        {
            _exited.Cancel();
        }
    }

    /// <summary>Fires when the server exits: a phase under way ends at once.</summary>
    public CancellationToken Exited => _exited.Token;

    /// <summary>The process (its id is the server's: taskset and prlimit exec it).</summary>
    public Process Process => _process;

    /// <summary>The TCP and UDP echo port.</summary>
    public int EchoPort { get; }

    /// <summary>The HTTP base address: /metrics, the hub, /websockify.</summary>
    public Uri Http { get; }

    /// <summary>The folder of the server's JSON log file (daily rolling: its name carries the date).</summary>
    public string LogDirectory { get; }

    /// <summary>The echo endpoint.</summary>
    public IPEndPoint Echo => new(IPAddress.Loopback, EchoPort);

    /// <summary>One keep-alive HTTP client for /metrics, connected before any flood, so a full server still answers it.</summary>
    public HttpClient Metrics { get; }

    /// <summary>Whether the server has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <inheritdoc />
    public void Dispose()
    {
        _process.Exited -= OnExited;
        _exited.Dispose();
        Metrics.Dispose();
    }

    /// <summary>Bytes in the server's log files now.</summary>
    public long LogBytes() => Directory.EnumerateFiles(LogDirectory).Sum(f => new FileInfo(f).Length);

    /// <summary>What the server said about its descriptor budget at start, or null.</summary>
    public string? DescriptorLine() => File.Exists(_console) ? DescriptorLine(ReadShared(_console)) : null;

    /// <summary>The budget line in <paramref name="console"/> from <c>Descriptors:</c> on (the log's timestamp and source cut off).</summary>
    public static string? DescriptorLine(string console) =>
        console.Split('\n').Select(l => l.IndexOf("Descriptors: limit", StringComparison.Ordinal) is var at and >= 0 ? l[at..].Trim() : null)
            .FirstOrDefault(l => l is not null);

    /// <summary>The last lines of the server's console output, for an error message.</summary>
    public string ConsoleTail(int lines = 20) => File.Exists(_console) ? string.Join('\n', ReadShared(_console).Split('\n').TakeLast(lines)) : "";

    /// <summary>
    /// Starts the server, its Unix socket at <paramref name="socketPath"/>, and waits until /readyz answers; fails with its
    /// console's last lines.
    /// </summary>
    public static async Task<HostileServer> StartAsync(HostileSettings settings, ProcessSupervisor supervisor, string logs, string socketPath,
        CancellationToken cancellationToken)
    {
        var port = FreePorts.TakeBelowEphemeral(udpToo: true);
        var httpPort = FreePorts.TakeBelowEphemeral();
        var http = new Uri($"http://127.0.0.1:{Invariant(httpPort)}/");
        var logDirectory = Path.Combine(logs, "echobridge-log");
        Directory.CreateDirectory(logDirectory);
        var console = Path.Combine(logs, "echobridge-console.log");
        var (file, prefix) = ProgramPath.Resolve(settings.EchoBridge);
        IEnumerable<string> arguments =
        [
            $"--nofile={Invariant(settings.Nofile)}:{Invariant(settings.Nofile)}", "--", file, .. prefix,
            .. settings.EchoBridgeArguments,
            $"--Listener:Port={Invariant(port)}",
            "--Listener:BindAddress=127.0.0.1",
            $"--Listener:Unix:Path={socketPath}",
            $"--Kestrel:Endpoints:Http:Url={http.ToString().TrimEnd('/')}",
            $"--EchoBridge:LogFile={Path.Combine(logDirectory, "echobridge.log")}",
        ];

        // Its content root is its own folder, so its appsettings.json applies.
        var process = supervisor.Start("prlimit", arguments, settings.ServerCpu, Path.GetDirectoryName(Path.GetFullPath(settings.EchoBridge)), console);
        var server = new HostileServer(process, port, http, logDirectory, console);
        var ready = false;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadyTimeout);
        try
        {
            while (!await server.ReadyAsync(timeout.Token))
            {
                if (process.HasExited)
                {
                    throw new HostileException($"EchoBridge exited with code {process.ExitCode} before it was ready; its output ({console}):\n{server.ConsoleTail()}");
                }

                await Task.Delay(50, timeout.Token);
            }

            ready = true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HostileException($"EchoBridge did not become ready within {ReadyTimeout.TotalSeconds} s; its output: {console}");
        }
        finally
        {
            if (!ready)
            {
                server.Dispose(); // the supervisor stops the process
            }
        }

        return server;
    }

    /// <summary>
    /// The counts of <c>echobridge_connections_refused_total</c> by reason now; null when /metrics did not answer
    /// (a server with every HTTP place taken may not).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, double>?> RefusedAsync(CancellationToken cancellationToken)
    {
        try
        {
            return RefusalCounts.Parse(await Metrics.GetStringAsync("metrics", cancellationToken));
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null; // this request's own timeout
        }
    }

    private void OnExited(object? sender, EventArgs e) => _exited.Cancel();

    private async Task<bool> ReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Metrics.GetAsync("readyz", cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    // The supervisor's writer has the file open; read it without taking it.
    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
