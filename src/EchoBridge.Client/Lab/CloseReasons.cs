namespace EchoBridge.Client.Lab;

/// <summary>
/// The server's close reasons (<c>closed by client</c>, <c>quit</c>…) in the page's language: the resources
/// <c>CloseReasons.resx</c> and <c>CloseReasons.es.resx</c> belong to this type, shared by the timeline and the half-close.
/// </summary>
public sealed class CloseReasons
{
    private CloseReasons()
    {
    }

    /// <summary>The reason in words from <paramref name="localizer"/>; a reason this page does not know stays as sent.</summary>
    public static string Describe(Microsoft.Extensions.Localization.IStringLocalizer<CloseReasons> localizer, string? reason)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        return TimelineSteps.ReasonKey(reason) is { } key ? localizer[key].Value : reason ?? "";
    }
}
