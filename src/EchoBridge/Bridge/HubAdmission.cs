using EchoBridge.Sessions;
using Microsoft.AspNetCore.Http.Features;

namespace EchoBridge.Bridge;

/// <summary>
/// Refuses a new hub connection over the client connection caps before SignalR starts it: the negotiate, or a
/// transport request that opens a connection (WebSocket upgrade, server-sent events), gets 503 with the reason as its
/// text and its status line, so a browser client (which shows the text) and the .NET client (the status line) both
/// see the words. Requests of connections already admitted (long-polling) pass.
/// </summary>
public sealed class HubAdmission(RequestDelegate next, ClientConnections clients, SessionRegistry registry)
{
    /// <summary>Checks one request to the hub path.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        if (!OpensConnection(context.Request) || clients.WouldRefuse(context.Connection.RemoteIpAddress) is not { } refusal)
        {
            return next(context);
        }

        registry.Refuse(null, context.Connection.RemoteIpAddress?.ToString() ?? "unknown", ClientConnections.ReasonOf(refusal));
        return RefuseAsync(context, refusal);
    }

    /// <summary>Answers 503 with <paramref name="refusal"/> as the body and the reason phrase.</summary>
    public static Task RefuseAsync(HttpContext context, string refusal)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        if (context.Features.Get<IHttpResponseFeature>() is { } response)
        {
            response.ReasonPhrase = refusal;
        }

        return context.Response.WriteAsync(refusal, context.RequestAborted);
    }

    private static bool OpensConnection(HttpRequest request) =>
        request.Path.Value?.EndsWith("/negotiate", StringComparison.Ordinal) == true
        || request.Headers.Upgrade.ToString().Equals("websocket", StringComparison.OrdinalIgnoreCase)
        || request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.Ordinal);
}
