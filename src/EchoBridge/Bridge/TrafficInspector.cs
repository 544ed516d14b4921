using System.Runtime.CompilerServices;
using EchoBridge.Contracts;
using EchoBridge.Sessions;

namespace EchoBridge.Bridge;

/// <summary>
/// Streams one listener session's traffic for the inspector by polling its <see cref="TrafficRing"/> every
/// <see cref="PollInterval"/>: the echo path pays nothing for being watched. Ends once the session has closed.
/// </summary>
public sealed class TrafficInspector(TimeProvider time)
{
    /// <summary>How often the ring is read.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The recent, then the live traffic of <paramref name="session"/>.</summary>
    public async IAsyncEnumerable<TrafficFrame> InspectAsync(Session session, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var batch in PollAsync(session, cancellationToken))
        {
            foreach (var frame in batch)
            {
                yield return frame;
            }
        }
    }

    /// <summary>
    /// What each read of the ring found (an empty batch when nothing new), one batch every <see cref="PollInterval"/>
    /// until the session has closed (a cluster's owner sends these on to the inspecting instance).
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<TrafficFrame>> PollAsync(Session session, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var frames = new List<TrafficFrame>();
        var lastSeq = 0L;
        while (true)
        {
            var ended = session.ClosedReason is not null;
            frames.Clear();
            session.Traffic?.CopySince(lastSeq, session.TimeOf, frames);
            if (frames.Count > 0)
            {
                lastSeq = frames[^1].Seq;
            }

            yield return frames.Count == 0 ? [] : frames.ToArray();
            if (ended)
            {
                yield break; // read once more after the close, so the last words are shown
            }

            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }
}
