using Microsoft.Extensions.Options;

namespace EchoBridge.Capture;

/// <summary>What is recorded of each session and for how long (section <c>Capture</c>).</summary>
public sealed class CaptureOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Capture";

    /// <summary>Record sessions' bytes at all; false leaves only the closed-session list.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Payload bytes kept per session (both directions); past it the capture is cut and says so.</summary>
    public int MaxSessionBytes { get; set; } = 1024 * 1024;

    /// <summary>Storage for every capture together; the oldest closed sessions are evicted to make room.</summary>
    public long MaxTotalBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>How many closed sessions are kept (listed, exportable).</summary>
    public int RetainClosedSessions { get; set; } = 100;

    /// <summary>How long a closed session is kept.</summary>
    public int RetainClosedSeconds { get; set; } = 600;
}

/// <summary>Checks the capture settings at start; each failure names the setting.</summary>
public sealed class CaptureOptionsValidator : IValidateOptions<CaptureOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, CaptureOptions options)
    {
        var failures = new List<string>();
        if (options.MaxSessionBytes < 1)
        {
            failures.Add($"Capture:MaxSessionBytes must be at least 1 (got {options.MaxSessionBytes})");
        }

        if (options.MaxTotalBytes < options.MaxSessionBytes)
        {
            failures.Add($"Capture:MaxTotalBytes must be at least Capture:MaxSessionBytes ({options.MaxSessionBytes}, got {options.MaxTotalBytes})");
        }

        if (options.RetainClosedSessions < 0)
        {
            failures.Add($"Capture:RetainClosedSessions must be 0 or more (got {options.RetainClosedSessions})");
        }

        if (options.RetainClosedSeconds < 0)
        {
            failures.Add($"Capture:RetainClosedSeconds must be 0 or more (got {options.RetainClosedSeconds})");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
