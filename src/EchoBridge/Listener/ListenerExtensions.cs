using System.Net;
using EchoBridge.Contracts;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace EchoBridge.Listener;

/// <summary>Wires the echo listener into the host: settings, Kestrel endpoints, the UDP echo and the idle sweep.</summary>
public static class ListenerExtensions
{
    /// <summary>Adds the TCP, Unix and UDP echo endpoints described by the <c>Listener</c> settings.</summary>
    public static WebApplicationBuilder AddEchoListener(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ListenerOptions>()
            .BindConfiguration(ListenerOptions.Section, binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ListenerOptions>, ListenerOptionsValidator>();
        builder.Services.AddSingleton<ListenerEndpoints>();
        builder.Services.AddSingleton<EchoConnectionHandler>();
        builder.Services.AddHostedService<ListenerLifetime>();
        builder.Services.AddHostedService<UdpEchoService>();
        builder.Services.AddHostedService<IdleSweeper>();
        builder.WebHost.ConfigureKestrel(kestrel => AddEndpoints(kestrel));
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling =
            builder.Configuration.GetValue($"{ListenerOptions.Section}:{nameof(ListenerOptions.InlineScheduling)}", true));
        return builder;
    }

    private static void AddEndpoints(KestrelServerOptions kestrel)
    {
        var services = kestrel.ApplicationServices;
        var settings = services.GetRequiredService<IOptions<ListenerOptions>>().Value;
        var endpoints = services.GetRequiredService<ListenerEndpoints>();
        var handler = services.GetRequiredService<EchoConnectionHandler>();

        ListenerAddresses.TryParse(settings.BindAddress, out var addresses);
        if (settings.Port == 0)
        {
            addresses = addresses[..1]; // a free port is picked per socket: keep one so TCP and UDP share it
        }

        foreach (var address in addresses)
        {
            kestrel.Listen(new IPEndPoint(address, settings.Port),
                listen => Serve(listen, new EchoEndpoint(SessionKind.Tcp, settings.Telnet, listen), endpoints, handler));
        }

        if (settings.Unix.Enabled)
        {
            var path = UnixSocketPath.Resolve(settings.Unix);
            UnixSocketPath.RemoveStale(path);
            kestrel.ListenUnixSocket(path,
                listen => Serve(listen, new EchoEndpoint(SessionKind.Unix, settings.Unix.Telnet, listen), endpoints, handler));
        }
    }

    private static void Serve(ListenOptions listen, EchoEndpoint endpoint, ListenerEndpoints endpoints, EchoConnectionHandler handler)
    {
        endpoints.Add(endpoint);
        listen.Run(connection => handler.HandleAsync(connection, endpoint));
    }
}
