namespace EchoBridge.Bench.Load;

/// <summary>
/// Runs socket continuations on the socket engine's own epoll thread instead of handing each one to the thread pool.
/// The bench's continuations never block (compare, record, send the next message), so this is safe here, and it makes
/// the bench what echoload is: one event loop on one core, with no thread hop and no spinning worker per message. That
/// halves the bench's CPU per message, and keeps it from out-competing other processes for a shared core with spinning
/// threads, which would skew a comparison between servers.
/// </summary>
public static class InlineCompletions
{
    // Read once by the runtime, when the first socket is used; see System.Net.Sockets' SocketAsyncEngine.Unix.
    private const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Turns inline completions on for this process, unless the environment already decides (set it to 0 to compare).
    /// Must run before the first socket operation.
    /// </summary>
    public static void Prefer()
    {
        if (Environment.GetEnvironmentVariable(Variable) is null)
        {
            Environment.SetEnvironmentVariable(Variable, "1");
        }
    }
}
