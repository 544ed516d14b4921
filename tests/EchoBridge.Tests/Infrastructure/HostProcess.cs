using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace EchoBridge.Tests.Infrastructure;

/// <summary>
/// The built product as a separate process (<c>dotnet EchoBridge.dll</c>), for what only a process shows: exit codes,
/// what reaches stderr, signals, a crash and a restart.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private HostProcess(Process process) => _process = process;

    /// <summary>The process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Everything written to stdout so far.</summary>
    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    /// <summary>Everything written to stderr so far.</summary>
    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts the product with command-line arguments and extra environment variables.</summary>
    public static HostProcess Start(IEnumerable<string> args, IDictionary<string, string>? environment = null) =>
        StartUnder([], args, environment);

    /// <summary>Starts the product under a wrapper command (<c>prlimit --nofile=400:400 --</c>, say).</summary>
    public static HostProcess StartUnder(IReadOnlyList<string> wrapper, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var directory = AppContext.BaseDirectory;
        var info = new ProcessStartInfo(wrapper.Count > 0 ? wrapper[0] : "dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var part in wrapper.Skip(1).Append("dotnet").Skip(wrapper.Count > 0 ? 0 : 1))
        {
            info.ArgumentList.Add(part);
        }

        info.ArgumentList.Add(Path.Combine(directory, "EchoBridge.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var host = new HostProcess(process);
        process.OutputDataReceived += (_, e) => Append(host._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(host._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Standard arguments for a loopback run on the given ports and socket path.</summary>
    public static List<string> LoopbackArgs(int echoPort, int httpPort, string unixPath) =>
    [
        $"--Listener:Port={echoPort.ToString(CultureInfo.InvariantCulture)}",
        "--Listener:BindAddress=127.0.0.1",
        $"--Listener:Unix:Path={unixPath}",
        $"--Kestrel:Endpoints:Http:Url=http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}",
    ];

    /// <summary>Waits for the process to exit; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        await _process.WaitForExitAsync().Within(timeout ?? Bounded.Step);
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    /// <summary>Waits until <c>/readyz</c> on <paramref name="httpPort"/> answers 200.</summary>
    public async Task WaitUntilReadyAsync(int httpPort)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            Assert.False(_process.HasExited, $"the server exited early: {Stderr}{Stdout}");
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{httpPort}/readyz"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            Assert.True(DateTime.UtcNow < deadline, $"the server did not become ready: {Stderr}{Stdout}");
            await Task.Delay(50);
        }
    }

    /// <summary>Sends a Unix signal (15 = SIGTERM, 9 = SIGKILL).</summary>
    public void Signal(int signal) => Signals.Send(_process.Id, signal);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().Within();
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }
    }
}
