using EchoBridge.Hosting;
using Microsoft.AspNetCore.SignalR;

namespace EchoBridge.Bridge;

/// <summary>
/// The one place a failed hub call is logged. A refusal (a <see cref="HubException"/>: unknown target, limit reached…)
/// is the client's business: logged at Debug with its words cut and escaped (<see cref="LogText"/>), no stack trace,
/// so a client repeating bad calls cannot flood or forge the log. Anything else is a fault of ours: Error, with the
/// exception. SignalR's dispatcher would log every one of them at Error with a stack trace;
/// a <see cref="Hosting.DroppedFrameworkEvent"/> drops that duplicate.
/// </summary>
public sealed partial class BridgeHubFilter(ILogger<BridgeHubFilter> logger) : IHubFilter
{
    /// <inheritdoc />
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext,
        Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (HubException refusal)
        {
            LogRefused(invocationContext.HubMethodName, invocationContext.Context.ConnectionId, LogText.Client(refusal.Message));
            throw;
        }
        catch (OperationCanceledException) when (invocationContext.Context.ConnectionAborted.IsCancellationRequested)
        {
            LogAbandoned(invocationContext.HubMethodName, invocationContext.Context.ConnectionId);
            throw;
        }
        catch (Exception ex)
        {
            LogFailed(ex, invocationContext.HubMethodName, invocationContext.Context.ConnectionId);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused {HubMethod} of hub connection {ConnectionId}: {Why}")]
    private partial void LogRefused(string hubMethod, string connectionId, string why);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{HubMethod} of hub connection {ConnectionId} ended with its connection")]
    private partial void LogAbandoned(string hubMethod, string connectionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "{HubMethod} of hub connection {ConnectionId} failed")]
    private partial void LogFailed(Exception exception, string hubMethod, string connectionId);
}
