namespace EchoBridge.Hosting;

/// <summary>
/// How long a stop may take before what is still open is aborted. The default of 8 s keeps a SIGTERM well inside
/// Docker's 10 s grace period (after which it sends SIGKILL), whatever a client is doing; sessions are told and
/// closed long before that in the normal case.
/// </summary>
public static class ShutdownExtensions
{
    private const string Setting = "EchoBridge:ShutdownTimeoutSeconds";

    /// <summary>Sets the host's shutdown timeout from <c>EchoBridge:ShutdownTimeoutSeconds</c> (default 8).</summary>
    public static WebApplicationBuilder AddShutdownTimeout(this WebApplicationBuilder builder)
    {
        var seconds = builder.Configuration.GetValue(Setting, 8.0);
        if (seconds is <= 0 or > 3600)
        {
            throw new StartupException($"{Setting} must be more than 0 and at most 3600 (got {seconds})");
        }

        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(seconds));
        return builder;
    }
}
