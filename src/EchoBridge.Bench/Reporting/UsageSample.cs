using System.Diagnostics;

namespace EchoBridge.Bench.Reporting;

/// <summary>CPU time of the bench and of the server, and the bench's allocated bytes, at one moment.</summary>
public readonly record struct UsageSample(long Timestamp, TimeSpan ClientCpu, TimeSpan? ServerCpu, long ClientAllocated)
{
    /// <summary>Takes a sample now.</summary>
    public static UsageSample Take(ServerProcess? server) =>
        new(Stopwatch.GetTimestamp(), Environment.CpuUsage.TotalTime, server?.CpuTime(), GC.GetTotalAllocatedBytes(precise: false));

    /// <summary>What was used from <paramref name="start"/> to this sample.</summary>
    public Usage Since(UsageSample start)
    {
        var wall = Stopwatch.GetElapsedTime(start.Timestamp, Timestamp);
        double Percent(TimeSpan cpu) => wall > TimeSpan.Zero ? 100 * cpu / wall : 0;
        return new Usage(
            Percent(ClientCpu - start.ClientCpu),
            ServerCpu is { } end && start.ServerCpu is { } begin ? Percent(end - begin) : null,
            ClientAllocated - start.ClientAllocated);
    }
}

/// <summary>
/// CPU use over a window, in percent of one core, and the bench's own allocations. A server near 100% is the
/// bottleneck; a bench near 100% means the numbers say more about the bench than the server.
/// </summary>
public readonly record struct Usage(double ClientCpuPercent, double? ServerCpuPercent, long ClientAllocatedBytes);
