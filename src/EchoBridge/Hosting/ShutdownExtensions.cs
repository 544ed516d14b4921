using Microsoft.Extensions.Options;

namespace EchoBridge.Hosting;

/// <summary>
/// How long a stop may take before what is still open is aborted. The default of 8 s keeps a SIGTERM well inside
/// Docker's 10 s grace period (after which it sends SIGKILL), whatever a client is doing; sessions are told and
/// closed long before that in the normal case.
/// </summary>
public static class ShutdownExtensions
{
    /// <summary>Sets the host's shutdown timeout from <c>EchoBridge:ShutdownTimeoutSeconds</c> (default 8).</summary>
    public static WebApplicationBuilder AddShutdownTimeout(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<EchoBridgeOptions>>((host, settings) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(settings.Value.ShutdownTimeoutSeconds));
        return builder;
    }
}
