namespace EchoBridge.Listener;

/// <summary>Marks the listener ready once the server runs, and removes the Unix socket file once it has stopped.</summary>
internal sealed class ListenerLifetime(ListenerEndpoints endpoints, IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(endpoints.MarkStarted);
        lifetime.ApplicationStopped.Register(() =>
        {
            if (endpoints.UnixPath is { } path && Path.Exists(path))
            {
                File.Delete(path);
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
