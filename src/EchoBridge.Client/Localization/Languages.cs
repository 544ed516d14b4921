using System.Globalization;

namespace EchoBridge.Client.Localization;

/// <summary>
/// The languages the dashboard speaks. The server's request localization and its <c>/culture/set</c> endpoint, and
/// the WebAssembly client's start, all read this one list.
/// </summary>
public static class Languages
{
    /// <summary>What a browser that asks for none of <see cref="Supported"/> gets.</summary>
    public const string Default = "en";

    /// <summary>The supported cultures' names, the default first.</summary>
    public static readonly IReadOnlyList<string> Supported = [Default, "es"];

    /// <summary>
    /// The supported language <paramref name="name"/> stands for: itself, or its parent (<c>es-MX</c> is <c>es</c>);
    /// null for anything else (an unknown or malformed culture name).
    /// </summary>
    public static string? Find(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        CultureInfo culture;
        try
        {
            culture = CultureInfo.GetCultureInfo(name.Trim(), predefinedOnly: true);
        }
        catch (CultureNotFoundException)
        {
            return null;
        }

        for (; !Equals(culture, CultureInfo.InvariantCulture); culture = culture.Parent)
        {
            if (Supported.Contains(culture.Name, StringComparer.OrdinalIgnoreCase))
            {
                return culture.Name;
            }
        }

        return null;
    }
}
