using System.Globalization;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;

namespace EchoBridge.Client.Localization;

/// <summary>
/// Starts the WebAssembly client in the culture the server chose for the page (its culture cookie, else the browser's
/// <c>Accept-Language</c>), which the server wrote into <c>&lt;html lang&gt;</c>: the page never mixes two languages,
/// even when the browser's own language is another one.
/// </summary>
public static class ServerCulture
{
    /// <summary>Reads <c>&lt;html lang&gt;</c> and makes it every thread's culture; call before <c>RunAsync</c>.</summary>
    public static async Task UseServerCultureAsync(this WebAssemblyHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var js = host.Services.GetRequiredService<IJSRuntime>();
        var lang = await js.InvokeAsync<string?>("document.documentElement.getAttribute", "lang");
        var culture = CultureInfo.GetCultureInfo(Languages.Find(lang) ?? Languages.Default);
        CultureInfo.DefaultThreadCurrentCulture = culture;
        CultureInfo.DefaultThreadCurrentUICulture = culture;
    }
}
