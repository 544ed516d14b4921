extern alias bench;

using System.Diagnostics;
using bench::EchoBridge.Bench.Reporting;
using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Bench;

/// <summary>The server's CPU as the bench reads it from /proc, for servers that work in child processes (websockify).</summary>
public sealed class ServerProcessTests
{
    [Fact]
    public async Task The_cpu_time_of_a_server_counts_the_children_it_works_in()
    {
        // A parent that only waits, and a child that spins: all the work is the child's.
        using var server = Process.Start(new ProcessStartInfo("sh", ["-c", "sh -c 'while :; do :; done' & wait"]) { UseShellExecute = false })!;
        try
        {
            var process = new ServerProcess(server.Id);
            var own = process.CpuTime();
            Assert.NotNull(own);

            await Bounded.UntilAsync(() => process.CpuTime() >= own + TimeSpan.FromSeconds(0.2), "the child's CPU time is counted");
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync().Within();
        }
    }

    [Fact]
    public void A_process_that_is_gone_has_no_cpu_time() => Assert.Null(new ServerProcess(int.MaxValue).CpuTime());
}
