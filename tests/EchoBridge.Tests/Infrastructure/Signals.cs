using System.Runtime.InteropServices;

namespace EchoBridge.Tests.Infrastructure;

/// <summary>Unix signals for processes the tests start (15 = SIGTERM, what `docker stop` sends; 9 = SIGKILL).</summary>
public static partial class Signals
{
    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; fails the test if it could not be sent.</summary>
    public static void Send(int pid, int signal) => Assert.True(Kill(pid, signal) == 0, $"kill({pid}, {signal}) failed");

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
