using EchoBridge.Client.Localization;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Localization;

namespace EchoBridge.Localization;

/// <summary>
/// The dashboard in English and Spanish: ASP.NET Core's request localization picks the page's culture from the culture
/// cookie, else the browser's <c>Accept-Language</c>, else English; the page writes it into <c>&lt;html lang&gt;</c>,
/// where the WebAssembly client reads it at start. <c>/culture/set</c> remembers a choice made on the page.
/// </summary>
public static class LanguageExtensions
{
    /// <summary>Adds the localization services and the supported cultures (<see cref="Languages.Supported"/>).</summary>
    public static WebApplicationBuilder AddDashboardLanguages(this WebApplicationBuilder builder)
    {
        builder.Services.AddLocalization();
        builder.Services.Configure<RequestLocalizationOptions>(options =>
        {
            options.SetDefaultCulture(Languages.Default)
                .AddSupportedCultures([.. Languages.Supported])
                .AddSupportedUICultures([.. Languages.Supported]);
            // The cookie the switch sets, then the browser's languages; no ?culture= query string.
            options.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
            options.ApplyCurrentCultureToResponseHeaders = true;
        });
        return builder;
    }

    /// <summary>
    /// Localizes the pages only: the hub, the capture API, metrics and health keep answering in invariant text
    /// whatever the browser's language. Maps <see cref="CultureEndpoint.Path"/> (behind the same host and token checks
    /// as every other path).
    /// </summary>
    public static WebApplication UseDashboardLanguages(this WebApplication app)
    {
        app.UseWhen(
            context => context.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is not null,
            page => page.UseRequestLocalization());
        app.MapGet(CultureEndpoint.Path, CultureEndpoint.Set);
        return app;
    }
}
