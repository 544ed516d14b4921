using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EchoBridge.Testing;

/// <summary>
/// A private <c>redis-server</c> (Debian's package; <c>test.sh</c> installs it) on a free loopback port, with no
/// persistence, for the cluster tests. It can be stopped and started again on the same port (the fault tests). The
/// system's own Redis service, if any, is never touched.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(15);
    private Process? _process;
    private readonly StringBuilder _output = new();

    private RedisServer(int port) => Port = port;

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string for it (<c>ConnectionStrings:Redis</c>).</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>Whether the server process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a server on a free port and waits until it answers PING.</summary>
    public static async Task<RedisServer> StartAsync()
    {
        var executable = Executable();
        for (var attempt = 1; ; attempt++)
        {
            // A port the kernel had free a moment ago; if another process takes it first, redis-server exits and we try another.
            var server = new RedisServer(TakeFreePort());
            try
            {
                await server.StartProcessAsync(executable);
                return server;
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
                await server.DisposeAsync();
            }
        }
    }

    /// <summary>Stops the server at once (SIGKILL): clients see their connections drop.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(ReadyTimeout);
            process.Dispose();
        }
    }

    /// <summary>Starts the server again on the same port (empty: it keeps nothing) and waits until it answers PING.</summary>
    public Task RestartAsync() => StartProcessAsync(Executable());

    /// <summary>Sends one command (inline syntax, e.g. <c>INFO commandstats</c>) and returns the raw reply.</summary>
    public async Task<string> CommandAsync(string command)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"), timeout.Token);
        var reply = new StringBuilder();
        var buffer = new byte[16384];
        do
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                break;
            }

            reply.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
        while (!IsComplete(reply.ToString()));

        return reply.ToString();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task StartProcessAsync(string executable)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes",
                     "--dir", Path.GetTempPath(), "--loglevel", "warning", "--enable-debug-command", "local" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (true)
        {
            if (process.HasExited)
            {
                _process = null;
                throw new InvalidOperationException($"redis-server on port {Port} exited with {process.ExitCode}: {Output()}");
            }

            if (await AnswersPingAsync())
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                await StopAsync();
                throw new TimeoutException($"redis-server on port {Port} did not answer PING within {ReadyTimeout.TotalSeconds} s: {Output()}");
            }

            await Task.Delay(20);
        }
    }

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            return (await CommandAsync("PING")).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false; // not listening yet
        }
    }

    private static string Executable()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, "redis-server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "redis-server is not installed: the cluster tests need it (run ./test.sh, which installs Debian's redis-server, or apt-get install redis-server)");
    }

    private static int TakeFreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    // A simple-string, error or integer reply is one line; a bulk string ($n) is complete once its n bytes arrived.
    private static bool IsComplete(string reply)
    {
        var end = reply.IndexOf("\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        if (reply[0] == '*')
        {
            // An array of bulk strings (PUBSUB CHANNELS): its header line, then two lines per element.
            var count = int.Parse(reply.AsSpan(1, end - 1), System.Globalization.CultureInfo.InvariantCulture);
            return count <= 0 || reply.Split("\r\n").Length - 1 >= 1 + 2 * count;
        }

        if (reply[0] != '$')
        {
            return true;
        }

        var length = int.Parse(reply.AsSpan(1, end - 1), System.Globalization.CultureInfo.InvariantCulture);
        return length < 0 || Encoding.UTF8.GetByteCount(reply) >= end + 2 + length + 2;
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

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }
}
