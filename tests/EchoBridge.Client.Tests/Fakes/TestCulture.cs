using System.Globalization;

namespace EchoBridge.Client.Tests.Fakes;

/// <summary>
/// Sets the test's culture (formatting and resources), as the WebAssembly client does at start. Called from a test
/// class's constructor it holds for the whole test: xUnit builds the class and runs the test in one async flow, and
/// the culture flows with it (into the renderer's dispatcher too).
/// </summary>
public static class TestCulture
{
    /// <summary>Makes <paramref name="name"/> the current culture and UI culture.</summary>
    public static void Use(string name)
    {
        var culture = CultureInfo.GetCultureInfo(name);
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
    }
}
