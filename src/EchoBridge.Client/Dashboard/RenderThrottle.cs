namespace EchoBridge.Client.Dashboard;

/// <summary>
/// Renders at most once per interval however often it is asked: thousands of frames a second become a few renders,
/// and the last request is never lost (one trailing render is scheduled for it).
/// </summary>
public sealed class RenderThrottle(Func<Task> render, TimeSpan interval, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private long _last;
    private int _scheduled;

    /// <summary>Asks for a render.</summary>
    public void Request()
    {
        var elapsed = _time.GetElapsedTime(_last);
        if (elapsed >= interval && Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
        {
            _ = RenderAsync(TimeSpan.Zero);
        }
        else if (Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
        {
            _ = RenderAsync(interval - elapsed);
        }
    }

    private async Task RenderAsync(TimeSpan delay)
    {
        try
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, _time);
            }

            _last = _time.GetTimestamp();
            Volatile.Write(ref _scheduled, 0);
            await render();
        }
        catch (ObjectDisposedException)
        {
            // The component went away between the request and the render: nothing left to draw.
        }
    }
}
