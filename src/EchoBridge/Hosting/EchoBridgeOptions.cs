namespace EchoBridge.Hosting;

/// <summary>
/// The product's own settings (section <c>EchoBridge</c>): access, trusted proxies, logs, metrics, shutdown. Bound
/// once, validated at start, unknown keys refused; nothing else reads these keys from configuration.
/// </summary>
public sealed class EchoBridgeOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "EchoBridge";

    /// <summary>The shared secret of the hub and dashboard; empty = none configured.</summary>
    public string AccessToken { get; set; } = "";

    /// <summary>
    /// The explicit opt-in to no token when the HTTP endpoint listens beyond loopback. Without it, such a server
    /// makes up a token at start and prints the URL that carries it.
    /// </summary>
    public bool OpenAccess { get; set; }

    /// <summary>The reverse proxies whose forwarded headers are believed (none by default).</summary>
    public ForwardedHeadersSettings ForwardedHeaders { get; set; } = new();

    /// <summary><c>text</c> (readable console) or <c>json</c> (compact JSON, one event per line).</summary>
    public string LogFormat { get; set; } = "text";

    /// <summary>Also write compact JSON to this file, rolled daily; empty = no file.</summary>
    public string LogFile { get; set; } = "";

    /// <summary>The <c>/metrics</c> endpoint.</summary>
    public MetricsOptions Metrics { get; set; } = new();

    /// <summary>How long a stop may take before what is still open is aborted.</summary>
    public double ShutdownTimeoutSeconds { get; set; } = 8;

    /// <summary>How often refused clients are summarised in one log line (when any were refused).</summary>
    public double RefusalLogIntervalSeconds { get; set; } = 10;

    /// <summary>
    /// This instance's name in a cluster (<c>ConnectionStrings:Redis</c> set): shown in every dashboard, part of its
    /// sessions' cluster-wide identity. Default: the host name (a container's id, so replicas differ by themselves).
    /// </summary>
    public string InstanceName { get; set; } = Environment.MachineName;

    /// <summary>Whether the JSON format was chosen.</summary>
    public bool JsonLogs => string.Equals(LogFormat, "json", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Binds the section for the few decisions taken while services are being added (before any options can be
    /// resolved), with the same rules as the bound options: an unknown key is an error.
    /// </summary>
    public static EchoBridgeOptions Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        UnknownSettings.Refuse<EchoBridgeOptions>(section);
        return section.Get<EchoBridgeOptions>(binder => binder.ErrorOnUnknownConfiguration = true) ?? new();
    }
}

/// <summary>Section <c>EchoBridge:Metrics</c>.</summary>
public sealed class MetricsOptions
{
    /// <summary>Serve <c>/metrics</c> (Prometheus).</summary>
    public bool Enabled { get; set; } = true;
}
