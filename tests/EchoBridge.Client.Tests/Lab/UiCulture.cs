using System.Globalization;

namespace EchoBridge.Client.Tests.Lab;

/// <summary>Sets the current (UI) culture for one test and puts the old one back: <c>using var _ = UiCulture.Use("es");</c>.</summary>
public sealed class UiCulture : IDisposable
{
    private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
    private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;

    private UiCulture(string name)
    {
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(name);
    }

    /// <summary>Switches to <paramref name="name"/> (<c>en</c>, <c>es</c>) until disposed.</summary>
    public static UiCulture Use(string name) => new(name);

    public void Dispose()
    {
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
    }
}
