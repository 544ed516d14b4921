using EchoBridge.Client.Hub;

namespace EchoBridge.Client.Lab;

/// <summary>
/// Follows one hub stream for as long as a page is open: waits for the link, reads the stream, and after a drop or a
/// reconnect (the server forgets its streams) asks again, a second later so a failing stream is not asked in a loop.
/// </summary>
internal static class HubStreams
{
    /// <summary>How long to wait before asking again for a stream that ended or failed.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    /// <summary>Reads <paramref name="open"/>'s stream into <paramref name="onItem"/> until cancelled.</summary>
    public static async Task FollowAsync<T>(
        IBridgeHubClient hub,
        Func<CancellationToken, IAsyncEnumerable<T>> open,
        Action<T> onItem,
        Action<Exception> onError,
        CancellationToken token)
    {
        try
        {
            while (!token.IsCancellationRequested)
            {
                await ConnectedAsync(hub, token);
                try
                {
                    await foreach (var item in open(token))
                    {
                        onItem(item);
                    }
                }
                catch (Exception error) when (error is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    if (hub.State == HubState.Connected)
                    {
                        onError(error);
                    }
                }

                await Task.Delay(RetryInterval, token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The page is closing.
        }
    }

    private static async Task ConnectedAsync(IBridgeHubClient hub, CancellationToken token)
    {
        if (hub.State == HubState.Connected)
        {
            return;
        }

        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(HubState state)
        {
            if (state == HubState.Connected)
            {
                connected.TrySetResult();
            }
        }

        hub.StateChanged += OnChanged;
        try
        {
            if (hub.State != HubState.Connected)
            {
                await connected.Task.WaitAsync(token);
            }
        }
        finally
        {
            hub.StateChanged -= OnChanged;
        }
    }
}
