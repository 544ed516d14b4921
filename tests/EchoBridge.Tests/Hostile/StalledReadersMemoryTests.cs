using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EchoBridge.Tests.Infrastructure;
using Xunit.Abstractions;

namespace EchoBridge.Tests.Hostile;

/// <summary>
/// A thousand clients that send and never read (the product as its own process, RSS from /proc): each holds a small,
/// bounded amount, and the memory goes back to the system once they leave, not merely back to a pool.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class StalledReadersMemoryTests(ITestOutputHelper output)
{
    private const int Clients = 1000;

    [Fact]
    public async Task A_thousand_stalled_readers_grow_RSS_by_at_most_150_MB_and_it_falls_back_after_they_leave()
    {
        var (echoPort, httpPort) = (FreePort.Tcp(), FreePort.Tcp());
        var socketPath = Path.Combine(Path.GetTempPath(), $"eb-{Guid.NewGuid():N}"[..11] + ".sock");
        await using var server = HostProcess.Start([.. HostProcess.LoopbackArgs(echoPort, httpPort, socketPath),
            "--Listener:MaxConnectionsPerAddress=5000", "--Serilog:MinimumLevel:Default=Warning"]);
        await server.WaitUntilReadyAsync(httpPort);
        var endPoint = new IPEndPoint(IPAddress.Loopback, echoPort);

        // Warm the echo path first, so the baseline holds what any served client costs once (JIT, pools).
        await SendUntilStalledAsync(endPoint, 20, TimeSpan.FromSeconds(30), close: true);
        var baseline = Rss(server.Pid);

        var peak = baseline;
        var sockets = await SendUntilStalledAsync(endPoint, Clients, TimeSpan.FromSeconds(90), close: false, onProgress: () => peak = Math.Max(peak, Rss(server.Pid)));
        peak = Math.Max(peak, Rss(server.Pid));
        output.WriteLine($"baseline {baseline / 1048576.0:F1} MiB, peak {peak / 1048576.0:F1} MiB with {Clients} stalled readers");
        sockets.ForEach(s => s.Dispose());

        Assert.True(peak - baseline <= 150L * 1024 * 1024, $"RSS grew by {(peak - baseline) / 1048576.0:F1} MiB");
        await Bounded.UntilAsync(() => Rss(server.Pid) - baseline <= 50L * 1024 * 1024,
            "RSS is back within 50 MiB of the baseline", TimeSpan.FromSeconds(30));
        output.WriteLine($"after: {Rss(server.Pid) / 1048576.0:F1} MiB");
    }

    private static async Task<List<Socket>> SendUntilStalledAsync(IPEndPoint endPoint, int count, TimeSpan budget, bool close, Action? onProgress = null)
    {
        var sockets = new List<Socket>();
        using var deadline = new CancellationTokenSource(budget);
        for (var i = 0; i < count; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096, SendBufferSize = 16384 };
            await socket.ConnectAsync(endPoint, deadline.Token);
            sockets.Add(socket);
        }

        var chunk = new byte[64 * 1024];
        await Parallel.ForEachAsync(sockets, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = deadline.Token }, async (socket, token) =>
        {
            while (true)
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(token);
                attempt.CancelAfter(TimeSpan.FromMilliseconds(300));
                try
                {
                    await socket.SendAsync(chunk, SocketFlags.None, attempt.Token);
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                    onProgress?.Invoke();
                    return; // the server stopped reading this one
                }
            }
        });

        if (close)
        {
            sockets.ForEach(s => s.Dispose());
        }

        return sockets;
    }

    private static long Rss(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
