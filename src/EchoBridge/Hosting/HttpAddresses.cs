using EchoBridge.Listener;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EchoBridge.Hosting;

/// <summary>
/// Where the dashboard, hub and health endpoints listen, decided the way every ASP.NET Core app decides it:
/// <c>Kestrel:Endpoints</c>, else <c>--urls</c> / <c>ASPNETCORE_URLS</c> / <c>urls</c>, else <c>ASPNETCORE_HTTP_PORTS</c> /
/// <c>ASPNETCORE_HTTPS_PORTS</c>, else EchoBridge's default <see cref="Default"/> (ASP.NET Core's own would be :5000).
/// Kestrel binds them; <c>--help</c> and <c>--check-health</c> read them from here, so all three agree.
/// </summary>
public static class HttpAddresses
{
    /// <summary>The address when nothing is configured.</summary>
    public const string Default = "http://localhost:8080";

    /// <summary>
    /// Makes <see cref="Default"/> the server's address when no URL setting is given, and checks Kestrel's default
    /// certificate up front when an address is HTTPS, so a missing file or a wrong password is one line naming the setting.
    /// </summary>
    public static WebApplicationBuilder AddHttpAddresses(this WebApplicationBuilder builder)
    {
        var (urls, source) = Resolve(builder.Configuration);
        if (source == AddressSource.Default)
        {
            builder.WebHost.UseUrls(Default);
        }

        var certificate = builder.Configuration.GetSection("Kestrel:Certificates:Default").Get<CertificateFileOptions>();
        if (urls.Any(url => url.StartsWith("https:", StringComparison.OrdinalIgnoreCase)) && certificate is { Path.Length: > 0 })
        {
            TlsCertificate.Load(certificate, "Kestrel:Certificates:Default").Dispose();
        }

        return builder;
    }

    /// <summary>The configured addresses, in ASP.NET Core's order of precedence, and which setting gave them.</summary>
    public static (IReadOnlyList<string> Urls, AddressSource Source) Resolve(IConfiguration configuration)
    {
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(endpoint => endpoint["Url"]).OfType<string>().Where(url => url.Length > 0).ToList();
        if (endpoints.Count > 0)
        {
            return (endpoints, AddressSource.KestrelEndpoints);
        }

        if (Split(configuration["urls"]) is { Count: > 0 } urls)
        {
            return (urls, AddressSource.Urls);
        }

        var ports = Split(configuration["http_ports"]).Select(port => $"http://*:{port}")
            .Concat(Split(configuration["https_ports"]).Select(port => $"https://*:{port}")).ToList();
        return ports.Count > 0 ? (ports, AddressSource.Ports) : ([Default], AddressSource.Default);
    }

    /// <summary>
    /// The URL this machine can reach the first configured address on (a wildcard host made loopback), for probes;
    /// <paramref name="path"/> appended.
    /// </summary>
    public static Uri LocalUrl(string address, string path)
    {
        var bound = BindingAddress.Parse(address);
        var host = bound.Host is "+" or "*" or "0.0.0.0" or "[::]" or "::" ? "127.0.0.1" : bound.Host;
        return new Uri($"{bound.Scheme}://{host}:{bound.Port}{path}");
    }

    private static List<string> Split(string? value) =>
        [.. (value ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}

/// <summary>Which setting decided the HTTP addresses.</summary>
public enum AddressSource
{
    /// <summary>Nothing was set: <see cref="HttpAddresses.Default"/>.</summary>
    Default,
    /// <summary><c>Kestrel:Endpoints:&lt;name&gt;:Url</c>.</summary>
    KestrelEndpoints,
    /// <summary><c>--urls</c>, <c>ASPNETCORE_URLS</c> or the <c>urls</c> setting.</summary>
    Urls,
    /// <summary><c>ASPNETCORE_HTTP_PORTS</c> / <c>ASPNETCORE_HTTPS_PORTS</c>.</summary>
    Ports,
}
