using EchoBridge.Listener;
using Microsoft.AspNetCore.Connections;

namespace EchoBridge.Hosting;

/// <summary>Kestrel's socket transport for HTTP (the dashboard, the hub, <c>/websockify</c>), tuned as the echo's is.</summary>
public static class HttpTransportExtensions
{
    /// <summary>The blocks HTTP's sockets hold (what they have read and not parsed, or not yet sent).</summary>
    internal static TransportBlockUse Blocks { get; } = new();

    /// <summary>
    /// Inline scheduling (<c>Listener:InlineScheduling</c>): a WebSocket or hub message is handled on the thread that
    /// read it, not queued to another. And 64 KiB blocks: a 16 KiB WebSocket message is read at once and relayed as
    /// one send, where Kestrel's 4 KiB blocks made it five reads and as many sends to the target.
    /// </summary>
    public static WebApplicationBuilder AddHttpTransport(this WebApplicationBuilder builder)
    {
        var inline = ListenerExtensions.InlineScheduling(builder.Configuration);
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = inline);
        // Kestrel's transport takes its pool factory from the container (the last registration wins). Pinned arrays:
        // a response spans blocks, and Kestrel sends several blocks at once only when they are arrays.
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>>(new TransportBlockPoolFactory(Blocks, arrays: true));
        return builder;
    }
}
