using System.Diagnostics;

namespace EchoBridge.Bench.Suite;

/// <summary>
/// Owns every process the suite starts: each is pinned to a CPU with <c>taskset</c> (set before the program runs,
/// so every thread it makes inherits it), and each is killed with its whole process tree when stopped, when the suite
/// is cancelled (Ctrl+C) and when it fails — disposing the supervisor leaves no process behind.
/// </summary>
public sealed class ProcessSupervisor : IAsyncDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly List<Process> _running = [];

    /// <summary>Processes started and not yet stopped.</summary>
    public int Running
    {
        get
        {
            lock (_gate)
            {
                return _running.Count;
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="program"/> pinned to <paramref name="cpu"/>. Its output goes to <paramref name="log"/>
    /// (appended) or, when null, is left redirected for the caller to read.
    /// </summary>
    public Process Start(string program, IEnumerable<string> arguments, int cpu, string? workingDirectory = null, string? log = null)
    {
        var (file, prefix) = ProgramPath.Resolve(program);
        var info = new ProcessStartInfo("taskset")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true, // none of them reads it; a closed stdin keeps them off the terminal
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(cpu.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add(file);
        foreach (var argument in prefix.Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        lock (_gate)
        {
            process.Start();
            _running.Add(process);
        }

        process.StandardInput.Close();
        if (log is not null)
        {
            var writer = TextWriter.Synchronized(new StreamWriter(log, append: true) { AutoFlush = true });
            process.OutputDataReceived += (_, e) => Write(writer, e.Data);
            process.ErrorDataReceived += (_, e) => Write(writer, e.Data);
            process.Exited += (_, _) => writer.Dispose();
            process.EnableRaisingEvents = true;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        return process;
    }

    /// <summary>Kills <paramref name="process"/> and everything it started, and waits (bounded) for it to be gone.</summary>
    public async Task StopAsync(Process process)
    {
        lock (_gate)
        {
            if (!_running.Remove(process))
            {
                return;
            }
        }

        await KillAsync(process);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Process[] left;
        lock (_gate)
        {
            left = [.. _running];
            _running.Clear();
        }

        await Task.WhenAll(left.Select(KillAsync));
    }

    private static async Task KillAsync(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // it had already exited
        }

        try
        {
            await process.WaitForExitAsync().WaitAsync(ExitTimeout);
        }
        catch (TimeoutException)
        {
            await Console.Error.WriteLineAsync($"warning: process {process.Id} did not exit within {ExitTimeout.TotalSeconds} s of being killed");
        }

        process.Dispose();
    }

    private static void Write(TextWriter writer, string? line)
    {
        if (line is null)
        {
            return;
        }

        try
        {
            writer.WriteLine(line);
        }
        catch (ObjectDisposedException)
        {
            // the process exited and its log was closed while its last lines were still coming in
        }
    }
}
