using System.Diagnostics;

namespace EchoBridge.Testing;

/// <summary>Runs Wireshark's command-line readers (Debian's <c>tshark</c> package) on a capture file, bounded in time.</summary>
public static class Tshark
{
    /// <summary>Runs <paramref name="tool"/> (<c>tshark</c>, <c>capinfos</c>) and returns its standard output; fails on a non-zero exit.</summary>
    public static async Task<string> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} exited {process.ExitCode}: {await error}");
        }

        return await output;
    }

    /// <summary>The bytes each side sent in TCP stream <paramref name="stream"/>, from <c>-z follow,tcp,raw</c>.</summary>
    public static async Task<(byte[] FromClient, byte[] FromServer)> FollowTcpAsync(string file, int stream = 0)
    {
        var output = await RunAsync("tshark", "-r", file, "-q", "-z", $"follow,tcp,raw,{stream}");
        using var fromClient = new MemoryStream();
        using var fromServer = new MemoryStream();
        var inBody = false;
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith("Node 1:", StringComparison.Ordinal))
            {
                inBody = true;
                continue;
            }

            if (!inBody || line.StartsWith("=====", StringComparison.Ordinal) || line.Trim().Length == 0)
            {
                continue;
            }

            // Raw follow output: one hex line per segment, the server's indented by a tab.
            var bytes = Convert.FromHexString(line.Trim());
            (line.StartsWith('\t') ? fromServer : fromClient).Write(bytes);
        }

        return (fromClient.ToArray(), fromServer.ToArray());
    }

    /// <summary>The packet count as <c>capinfos</c> reports it.</summary>
    public static async Task<int> PacketCountAsync(string file)
    {
        var output = await RunAsync("capinfos", "-M", "-c", file);
        var line = output.Split('\n').First(l => l.StartsWith("Number of packets", StringComparison.Ordinal));
        return int.Parse(line.Split(':')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
