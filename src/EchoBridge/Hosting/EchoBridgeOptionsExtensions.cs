using Microsoft.Extensions.Options;

namespace EchoBridge.Hosting;

/// <summary>Binds and validates the <c>EchoBridge</c> section, like <c>Listener</c> and <c>Bridge</c>.</summary>
public static class EchoBridgeOptionsExtensions
{
    /// <summary>Adds <see cref="EchoBridgeOptions"/>: unknown keys refused, validated at start.</summary>
    public static WebApplicationBuilder AddEchoBridgeSettings(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EchoBridgeOptions>()
            // First, so a misspelt key is named in full; the binder's own refusal below only names the property.
            .Configure<IConfiguration>((_, configuration) => UnknownSettings.Refuse<EchoBridgeOptions>(configuration.GetSection(EchoBridgeOptions.Section)))
            .BindConfiguration(EchoBridgeOptions.Section, binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<EchoBridgeOptions>, EchoBridgeOptionsValidator>();
        return builder;
    }
}
