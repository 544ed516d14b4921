namespace EchoBridge.Listener;

/// <summary>
/// Marks the listener ready once the server runs and says where it listens (Kestrel's own "Now listening on" lines
/// call every endpoint http://, the echo ones included); removes the Unix socket file once the server has stopped.
/// </summary>
internal sealed partial class ListenerLifetime(
    ListenerEndpoints endpoints,
    IHostApplicationLifetime lifetime,
    ILogger<ListenerLifetime> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            endpoints.MarkStarted();
            // UDP may bind in its own ApplicationStarted callback (port 0), so describe what is bound at this moment.
            LogListening(string.Join(", ", endpoints.Describe().Select(e => $"{e.Protocol} {e.Address}{(e.Telnet ? " (telnet)" : "")}")));
        });
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Echo listener ready: {Endpoints}")]
    private partial void LogListening(string endpoints);
}
