using Microsoft.Extensions.Options;

namespace EchoBridge.Capture;

/// <summary>Registers the capture store, its settings and retention sweep.</summary>
public static class CaptureExtensions
{
    /// <summary>Adds <see cref="CaptureStore"/> bound to the <c>Capture</c> settings (unknown keys refused).</summary>
    public static WebApplicationBuilder AddCapture(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<CaptureOptions>()
            .BindConfiguration(CaptureOptions.Section, binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CaptureOptions>, CaptureOptionsValidator>();
        builder.Services.AddSingleton<CaptureStore>();
        builder.Services.AddHostedService<CaptureSweeper>();
        return builder;
    }
}
