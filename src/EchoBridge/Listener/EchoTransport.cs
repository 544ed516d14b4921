using System.Reflection;
using EchoBridge.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace EchoBridge.Listener;

/// <summary>
/// Kestrel's socket transport, tuned for the echo: 64 KiB blocks (as the HTTP side has), inline scheduling, and small
/// pipes so a client that does not read its echo holds at most <see cref="MaxReadBytes"/> + <see cref="MaxWriteBytes"/>
/// before the server stops reading it.
/// </summary>
internal static class EchoTransport
{
    /// <summary>Unconsumed bytes read from a client before the transport stops reading it.</summary>
    public const int MaxReadBytes = 32 * 1024;

    /// <summary>Echoed bytes waiting for the kernel before the echo waits (and so stops reading).</summary>
    public const int MaxWriteBytes = 32 * 1024;

    // Kestrel takes its memory pool from an internal property (its own transport reads it from DI); there is no public
    // way to hand SocketConnectionContextFactory a pool. Checked by a test, so a framework update that renames it fails loudly.
    private static readonly PropertyInfo? PoolProperty = typeof(SocketConnectionFactoryOptions)
        .GetProperty("MemoryPoolFactory", BindingFlags.Instance | BindingFlags.NonPublic);

    /// <summary>The blocks the echo's sockets hold: what the echo has read and not yet sent (the listener's buffer budget).</summary>
    public static TransportBlockUse Blocks { get; } = new();

    /// <summary>Whether this framework version let the transport take the 64 KiB pool.</summary>
    public static bool UsesLargeBlocks => PoolProperty?.PropertyType == typeof(IMemoryPoolFactory<byte>);

    public static SocketConnectionContextFactory Create(bool inlineScheduling, ILogger logger)
    {
        var options = new SocketConnectionFactoryOptions
        {
            UnsafePreferInlineScheduling = inlineScheduling,
            WaitForDataBeforeAllocatingBuffer = true,
            MaxReadBufferSize = MaxReadBytes,
            MaxWriteBufferSize = MaxWriteBytes,
        };
        if (UsesLargeBlocks)
        {
            PoolProperty!.SetValue(options, new TransportBlockPoolFactory(Blocks));
        }

        return new SocketConnectionContextFactory(options, logger);
    }
}
