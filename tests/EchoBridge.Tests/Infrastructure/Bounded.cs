namespace EchoBridge.Tests.Infrastructure;

/// <summary>Every await in a test is bounded, so a bug fails fast instead of hanging the run.</summary>
public static class Bounded
{
    /// <summary>The default bound for one step of a test.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

    /// <summary>Awaits <paramref name="task"/> for at most <paramref name="timeout"/> (default <see cref="Step"/>).</summary>
    public static Task<T> Within<T>(this Task<T> task, TimeSpan? timeout = null) => task.WaitAsync(timeout ?? Step);

    /// <inheritdoc cref="Within{T}(Task{T}, TimeSpan?)"/>
    public static Task Within(this Task task, TimeSpan? timeout = null) => task.WaitAsync(timeout ?? Step);

    /// <inheritdoc cref="Within{T}(Task{T}, TimeSpan?)"/>
    public static Task<T> Within<T>(this ValueTask<T> task, TimeSpan? timeout = null) => task.AsTask().WaitAsync(timeout ?? Step);

    /// <summary>Waits until <paramref name="condition"/> holds, checking often, failing with <paramref name="what"/> after the bound.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Step);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}");
            }

            await Task.Delay(10);
        }
    }
}
