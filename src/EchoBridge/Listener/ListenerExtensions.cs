using EchoBridge.Hosting;
using Microsoft.Extensions.Options;

namespace EchoBridge.Listener;

/// <summary>Wires the echo listener into the host: settings, the listener that owns its endpoints, the idle sweep.</summary>
public static class ListenerExtensions
{
    /// <summary>Adds the TCP, Unix and UDP echo endpoints described by the <c>Listener</c> settings.</summary>
    public static WebApplicationBuilder AddEchoListener(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ListenerOptions>()
            .BindConfiguration(ListenerOptions.Section, binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ListenerOptions>, ListenerOptionsValidator>();
        builder.Services.AddSingleton<ResourceBudget>();
        builder.Services.AddSingleton<ListenerEndpoints>();
        builder.Services.AddSingleton<ClientAddressCounter>();
        builder.Services.AddSingleton<EchoConnectionHandler>();
        builder.Services.AddSingleton<UdpEchoService>();
        builder.Services.AddSingleton<EchoListener>();
        builder.Services.AddHostedService(services => services.GetRequiredService<EchoListener>());
        builder.Services.AddHostedService<IdleSweeper>();
        // The HTTP door's cap comes from the descriptor budget (Kestrel refuses connections over it).
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Limits.MaxConcurrentConnections = kestrel.ApplicationServices.GetRequiredService<ResourceBudget>().MaxHttpConnections);
        UseInlineCompletions(builder);
        return builder;
    }

    /// <summary>
    /// Runs socket completions on the socket engine's own threads instead of handing each to the thread pool
    /// (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS</c>, read once, when the first socket operation starts — which is
    /// after this point). Together with the echo transport's inline scheduling it saves a thread hop per message. The
    /// variable is process-wide, so it applies to the HTTP side's sockets too; safe because nothing here blocks a thread.
    /// </summary>
    private static void UseInlineCompletions(WebApplicationBuilder builder)
    {
        const string inlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
        if (InlineScheduling(builder.Configuration) && Environment.GetEnvironmentVariable(inlineCompletions) is null)
        {
            Environment.SetEnvironmentVariable(inlineCompletions, "1");
        }
    }

    /// <summary><c>Listener:InlineScheduling</c>, read before the settings are bound (it shapes the transports).</summary>
    internal static bool InlineScheduling(IConfiguration configuration) =>
        configuration.GetValue($"{ListenerOptions.Section}:{nameof(ListenerOptions.InlineScheduling)}", true);
}
