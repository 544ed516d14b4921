using System.Reflection;

namespace EchoBridge.Hosting;

/// <summary>
/// The few command-line options that are not settings: <c>--help</c>, <c>--version</c> and <c>--check-health</c>.
/// Everything else must be a setting (<c>--Listener:Port=9000</c> or <c>--Listener:Port 9000</c>); anything else is an
/// unknown option, reported as such rather than silently ignored.
/// </summary>
public static class CommandLine
{
    // Switches the .NET host itself understands as settings without a section.
    private static readonly string[] HostSettings = ["environment", "contentRoot", "applicationName", "urls", "http_ports", "https_ports"];

    /// <summary>The product's version, as built (<c>0.1.0+commit</c> when built from git).</summary>
    public static string Version { get; } =
        typeof(CommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(CommandLine).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>
    /// Handles the options that do something other than run the server; returns their exit code, or null when the
    /// server should run.
    /// </summary>
    public static async Task<int?> TryHandleAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            await output.WriteAsync(Help);
            return 0;
        }

        if (args.Contains("--version"))
        {
            await output.WriteLineAsync($"EchoBridge {Version}");
            return 0;
        }

        if (FindUnknownOption(args) is { } unknown)
        {
            await error.WriteLineAsync($"echobridge: unknown option '{unknown}' (see --help)");
            return 2;
        }

        if (args.Contains("--check-health"))
        {
            return await HealthCheckCommand.RunAsync(args.Where(a => a != "--check-health").ToArray(), error);
        }

        return null;
    }

    /// <summary>The first argument that is neither one of ours nor a setting, if any.</summary>
    public static string? FindUnknownOption(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "--check-health")
            {
                continue;
            }

            if (!arg.StartsWith('-'))
            {
                return arg; // a stray value with no option before it
            }

            var key = arg.TrimStart('-').Split('=', 2)[0];
            var isSetting = key.Contains(':', StringComparison.Ordinal) || HostSettings.Contains(key, StringComparer.OrdinalIgnoreCase);
            if (!isSetting || key.Length == 0)
            {
                return arg;
            }

            if (!arg.Contains('=', StringComparison.Ordinal))
            {
                i++; // "--Listener:Port 9000": the next argument is the value
            }
        }

        return null;
    }

    private const string Help = """
        EchoBridge — a TCP/Unix/UDP echo listener, a browser-to-socket bridge and a live dashboard.

        Usage: EchoBridge [options] [--Setting:Name=value ...]

        Options:
          --help, -h        show this help
          --version         print the version
          --check-health    probe this configuration's own /readyz; exit 0 when ready, 1 otherwise
                            (used by the container's HEALTHCHECK; the runtime image has no curl)

        Settings (command line --Listener:Port=9000, or environment Listener__Port=9000):
          --urls http://0.0.0.0:5055   ASPNETCORE_URLS                 dashboard, hub, health  (http://localhost:8080)
          ASPNETCORE_HTTP_PORTS=8080   (also Kestrel:Endpoints:<name>:Url, as in any ASP.NET Core app)
          Listener:Port                Listener__Port                  TCP and UDP echo port   (9999)
          Listener:BindAddress         Listener__BindAddress           localhost | any | an IP (localhost)
          Listener:Telnet              Listener__Telnet                telnet-friendly echo    (true; false = pure RFC 862)
          Listener:MaxConnections      Listener__MaxConnections        sessions at once        (10000)
          Listener:IdleTimeoutSeconds  Listener__IdleTimeoutSeconds    idle close, 0 = off     (300)
          Listener:Unix:Enabled        Listener__Unix__Enabled         Unix-domain socket      (true)
          Listener:Unix:Path           Listener__Unix__Path            its path                ($XDG_RUNTIME_DIR or /tmp)/echobridge.sock
          Listener:Udp:Enabled         Listener__Udp__Enabled          UDP echo                (true)
          Listener:Udp:RateLimitPerSecond  Listener__Udp__RateLimitPerSecond  per source, 0 = off (1000)
          Bridge:Targets:<name>:Host / :Port / :Description            an allow-listed bridge target (echo is built in)
          Bridge:AllowedOrigins:0      Bridge__AllowedOrigins__0       another origin allowed to use the hub
          Bridge:MaxSessionsPerConnection  Bridge__MaxSessionsPerConnection  bridge sessions per browser (8)
          AllowedHosts                 AllowedHosts                    host names answered, ;-separated (* = loopback names on loopback)
          EchoBridge:AccessToken       EchoBridge__AccessToken         require this token for the dashboard and hub (empty = off)
          EchoBridge:OpenAccess        EchoBridge__OpenAccess          no token even beyond loopback (false)
          EchoBridge:ForwardedHeaders:KnownProxies:0  EchoBridge__ForwardedHeaders__KnownProxies__0  a proxy whose X-Forwarded-For/-Proto is believed (none)
          EchoBridge:ForwardedHeaders:KnownNetworks:0 EchoBridge__ForwardedHeaders__KnownNetworks__0 the same by network, e.g. 10.0.0.0/8 (none)
          EchoBridge:ForwardedHeaders:ForwardLimit    EchoBridge__ForwardedHeaders__ForwardLimit     trusted proxies in a chain (1)
          EchoBridge:LogFormat         EchoBridge__LogFormat           text | json             (text)
          EchoBridge:LogFile           EchoBridge__LogFile             also log JSON to a daily rolling file
          EchoBridge:Metrics:Enabled   EchoBridge__Metrics__Enabled    /metrics (Prometheus)   (true)
          EchoBridge:ShutdownTimeoutSeconds  EchoBridge__ShutdownTimeoutSeconds  stop grace period (8)
          EchoBridge:RefusalLogIntervalSeconds  EchoBridge__RefusalLogIntervalSeconds  refusal summary interval (10)
          ConnectionStrings:Redis      ConnectionStrings__Redis        scale out: a StackExchange.Redis configuration, e.g. redis:6379 (unset = one process)
          EchoBridge:InstanceName      EchoBridge__InstanceName        this instance's name in the cluster (the host name)
          Serilog:MinimumLevel:Default Serilog__MinimumLevel__Default  log level               (Information)

        See README.md for every setting.

        """;
}
