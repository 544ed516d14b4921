using Microsoft.AspNetCore.SignalR.Client;

namespace EchoBridge.Client.Hub;

/// <summary>
/// Reconnects for as long as the page is open: quickly at first, then every five seconds. The default policy gives up
/// after four tries, which would leave a dashboard on a restarted server dead until someone reloads it.
/// </summary>
internal sealed class ForeverRetryPolicy : IRetryPolicy
{
    private static readonly TimeSpan[] FirstDelays =
        [TimeSpan.Zero, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    public static TimeSpan DelayFor(long attempt) =>
        attempt < FirstDelays.Length ? FirstDelays[attempt] : TimeSpan.FromSeconds(5);

    public TimeSpan? NextRetryDelay(RetryContext retryContext) => DelayFor(retryContext.PreviousRetryCount);
}
