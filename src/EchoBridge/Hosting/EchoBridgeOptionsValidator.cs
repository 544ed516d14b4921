using Microsoft.Extensions.Options;

namespace EchoBridge.Hosting;

/// <summary>Checks the <c>EchoBridge</c> settings at start; each failure names the setting.</summary>
public sealed class EchoBridgeOptionsValidator : IValidateOptions<EchoBridgeOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, EchoBridgeOptions options)
    {
        var failures = new List<string>();
        if (options.LogFormat is not { } format
            || !(format.Equals("text", StringComparison.OrdinalIgnoreCase) || format.Equals("json", StringComparison.OrdinalIgnoreCase)))
        {
            failures.Add($"EchoBridge:LogFormat must be 'text' or 'json' (got '{options.LogFormat}')");
        }

        if (options.ShutdownTimeoutSeconds is <= 0 or > 3600)
        {
            failures.Add($"EchoBridge:ShutdownTimeoutSeconds must be more than 0 and at most 3600 (got {options.ShutdownTimeoutSeconds})");
        }

        if (options.RefusalLogIntervalSeconds is < 1 or > 3600)
        {
            failures.Add($"EchoBridge:RefusalLogIntervalSeconds must be between 1 and 3600 (got {options.RefusalLogIntervalSeconds})");
        }

        if (options.AccessToken.Length > 0 && options.AccessToken.Trim().Length != options.AccessToken.Length)
        {
            failures.Add("EchoBridge:AccessToken must not start or end with white space");
        }

        if (options.OpenAccess && options.AccessToken.Length > 0)
        {
            failures.Add("EchoBridge:OpenAccess=true and EchoBridge:AccessToken contradict each other: set one of them");
        }

        if (!EchoBridge.Cluster.ClusterSettings.IsValidName(options.InstanceName))
        {
            failures.Add($"EchoBridge:InstanceName must be 1 to 64 letters, digits, '-', '_' or '.' (got '{options.InstanceName}')");
        }

        options.ForwardedHeaders.Validate(failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
