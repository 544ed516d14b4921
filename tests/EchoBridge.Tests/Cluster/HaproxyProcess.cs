using System.Diagnostics;
using System.Globalization;
using System.Text;
using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Cluster;

/// <summary>
/// Debian's <c>haproxy</c> (<c>test.sh</c> installs it) as a child process in the foreground (<c>-db</c>), running the
/// repository's own <c>haproxy.cfg</c> with its addresses from environment variables, plus a second <c>-f</c> file of
/// the test's own: a stats page (the repository's file has none) so a test can read HAProxy's view of its servers, and
/// <c>no strict-limits</c>.
/// </summary>
public sealed class HaproxyProcess : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _statsFile;

    private HaproxyProcess(Process process, string statsFile, Uri stats)
    {
        _process = process;
        _statsFile = statsFile;
        Stats = stats;
    }

    /// <summary>The stats page as CSV (<c>/stats;csv</c>).</summary>
    public Uri Stats { get; }

    /// <summary>Everything haproxy wrote so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <c>haproxy -f <paramref name="config"/> -f (stats) -db</c> with <paramref name="environment"/>.</summary>
    public static HaproxyProcess Start(string config, IReadOnlyDictionary<string, string> environment)
    {
        var statsPort = FreePort.Tcp();
        var statsFile = Path.Combine(Path.GetTempPath(), $"eb-haproxy-stats-{Guid.NewGuid():N}.cfg");
        // The file's maxconn 20000 asks for ~40,000 descriptors: a container's limit is far higher, a test machine's hard
        // limit may be lower (20,000 here). Without strict limits HAProxy says so and runs; a test needs a few dozen.
        File.WriteAllText(statsFile, string.Create(CultureInfo.InvariantCulture, $"""
            global
              no strict-limits

            frontend test-stats
              mode http
              bind 127.0.0.1:{statsPort}
              stats enable
              stats uri /stats
              stats refresh 0

            """));
        var start = new ProcessStartInfo(Executable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-f", config, "-f", statsFile, "-db" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var haproxy = new HaproxyProcess(process, statsFile, new Uri($"http://127.0.0.1:{statsPort}/stats;csv"));
        process.OutputDataReceived += (_, e) => haproxy.Append(e.Data);
        process.ErrorDataReceived += (_, e) => haproxy.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return haproxy;
    }

    /// <summary>
    /// Reads the stats page until <paramref name="condition"/> holds for its rows (each a column name → value map),
    /// failing with haproxy's output and the last rows after <paramref name="timeout"/>.
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, string>>> StatsUntilAsync(
        Func<IReadOnlyList<IReadOnlyDictionary<string, string>>, bool> condition, string what, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        IReadOnlyList<IReadOnlyDictionary<string, string>> rows = [];
        string? error = null;
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process.HasExited, $"haproxy exited with {(_process.HasExited ? _process.ExitCode : 0)}: {Output}");
            try
            {
                rows = ParseCsv(await http.GetStringAsync(Stats));
                if (condition(rows))
                {
                    return rows;
                }
            }
            catch (HttpRequestException e)
            {
                error = e.Message; // not listening yet
            }

            await Task.Delay(50);
        }

        Assert.Fail($"haproxy's stats did not show {what} within {timeout.TotalSeconds} s; last rows: " +
            string.Join("; ", rows.Select(r => $"{r["pxname"]}/{r["svname"]} {r["status"]} {r["check_status"]}")) +
            $"; last error: {error}; haproxy said: {Output}");
        return rows;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync().WaitAsync(StopTimeout);
        }
        finally
        {
            _process.Dispose();
            File.Delete(_statsFile);
        }
    }

    // "# pxname,svname,...": a header line, then one line per frontend, server and backend.
    private static List<IReadOnlyDictionary<string, string>> ParseCsv(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].TrimStart('#', ' ').Split(',');
        return [.. lines.Skip(1).Select(line => (IReadOnlyDictionary<string, string>)header
            .Zip(line.Split(','), (name, value) => (name, value))
            .Where(p => p.name.Length > 0)
            .ToDictionary(p => p.name, p => p.value))];
    }

    private static string Executable()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
                     .Append("/usr/sbin"))
        {
            var candidate = Path.Combine(directory, "haproxy");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "haproxy is not installed: the scale-out topology test needs it (run ./test.sh, which installs Debian's haproxy, or apt-get install haproxy)");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
