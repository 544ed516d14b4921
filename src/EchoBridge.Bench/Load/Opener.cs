using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace EchoBridge.Bench.Load;

/// <summary>
/// Opens many connections a few at a time: all at once would overflow the server's accept backlog and turn a
/// benchmark into a SYN-retry test. The first failure stops the opening and closes what was opened.
/// </summary>
public static class Opener
{
    /// <summary>How many connections are opened at the same time.</summary>
    public const int Parallelism = 32;

    /// <summary>
    /// Opens <paramref name="count"/> items with <paramref name="open"/>; <paramref name="opened"/> counts them as they
    /// come (for the progress line). Throws <see cref="OpenException"/> naming the first one that failed.
    /// </summary>
    public static async Task<T[]> OpenAsync<T>(int count, Func<int, CancellationToken, Task<T>> open, StrongBox<long> opened,
        CancellationToken cancellationToken)
        where T : IAsyncDisposable
    {
        var items = new T[count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };
        var opening = Parallel.ForEachAsync(Enumerable.Range(0, count), options, async (index, token) =>
        {
            try
            {
                items[index] = await open(index, token);
                Interlocked.Increment(ref opened.Value);
            }
            catch (Exception ex) when (ClosedLoop.IsConnectionFailure(ex) && !token.IsCancellationRequested)
            {
                throw new OpenException($"connection {index + 1} of {count} failed: {ClosedLoop.Describe(ex)}", ex);
            }
        });

        try
        {
            await opening;
            return items;
        }
        catch (Exception thrown)
        {
            foreach (var item in items)
            {
                if (item is not null)
                {
                    await item.DisposeAsync();
                }
            }

            // The others were cancelled because of the first failure: report that one, not their cancellation.
            var first = opening.Exception?.InnerExceptions.OfType<OpenException>().FirstOrDefault();
            if (first is not null && !ReferenceEquals(first, thrown))
            {
                ExceptionDispatchInfo.Throw(first);
            }

            throw;
        }
    }
}
