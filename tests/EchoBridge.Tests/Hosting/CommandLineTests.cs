using Microsoft.Extensions.Configuration;
using EchoBridge.Hosting;
using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Hosting;

public sealed class CommandLineTests
{
    private static async Task<(int? Code, string Output, string Error)> HandleAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandLine.TryHandleAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Help_lists_the_settings_that_matter_with_their_environment_variable_names()
    {
        var (code, output, _) = await HandleAsync("--help");

        Assert.Equal(0, code);
        foreach (var name in new[] { "Listener__Port", "Listener__BindAddress", "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "EchoBridge__AccessToken", "EchoBridge__LogFormat", "Listener__Unix__Path" })
        {
            Assert.Contains(name, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Help_has_a_row_for_every_EchoBridge_setting()
    {
        var (_, output, _) = await HandleAsync("--help");

        var settings = SettingPaths(typeof(EchoBridgeOptions), EchoBridgeOptions.Section).ToList();
        Assert.Contains("EchoBridge:ForwardedHeaders:KnownProxies", settings);
        foreach (var setting in settings.Append("AllowedHosts"))
        {
            Assert.Contains(setting, output, StringComparison.Ordinal);
            Assert.Contains(setting.Replace(":", "__", StringComparison.Ordinal), output, StringComparison.Ordinal);
        }
    }

    // Every public settable property, nested option classes by their leaves (EchoBridge:Metrics:Enabled).
    private static IEnumerable<string> SettingPaths(Type type, string prefix) =>
        type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
            .Where(property => property.SetMethod is { IsPublic: true })
            .SelectMany(property => property.PropertyType.IsClass && property.PropertyType != typeof(string) && !property.PropertyType.IsArray
                ? SettingPaths(property.PropertyType, $"{prefix}:{property.Name}")
                : [$"{prefix}:{property.Name}"]);

    [Fact]
    public async Task Version_prints_the_version()
    {
        var (code, output, _) = await HandleAsync("--version");

        Assert.Equal(0, code);
        Assert.StartsWith($"EchoBridge {CommandLine.Version}", output, StringComparison.Ordinal);
        Assert.Matches(@"^\d+\.\d+\.\d+", CommandLine.Version);
    }

    [Theory]
    [InlineData("--verbose")]
    [InlineData("-x")]
    [InlineData("stray")]
    public async Task An_unknown_option_is_a_clear_error(string option)
    {
        var (code, _, error) = await HandleAsync("--Listener:Port=9000", option);

        Assert.Equal(2, code);
        Assert.Equal($"echobridge: unknown option '{option}' (see --help){Environment.NewLine}", error);
    }

    [Theory]
    [InlineData("--Listener:Port=9000")]
    [InlineData("--Listener:Port", "9000")]
    [InlineData("--environment", "Development")]
    public async Task Settings_on_the_command_line_run_the_server(params string[] args)
    {
        var (code, output, error) = await HandleAsync(args);

        Assert.Null(code);
        Assert.Equal("", output + error);
    }

    [Theory]
    [InlineData("http://+:8080", "http://127.0.0.1:8080/readyz")]
    [InlineData("http://*:80", "http://127.0.0.1:80/readyz")]
    [InlineData("http://localhost:5000", "http://localhost:5000/readyz")]
    [InlineData("http://10.1.2.3:9000", "http://10.1.2.3:9000/readyz")]
    public void The_health_check_probes_the_configured_endpoint(string url, string expected)
    {
        Assert.Equal(new Uri(expected), HttpAddresses.LocalUrl(url, "/readyz"));
    }

    [Theory]
    [InlineData("Kestrel:Endpoints:Web:Url=http://127.0.0.1:7001;urls=http://127.0.0.1:7002;http_ports=7003", "http://127.0.0.1:7001", AddressSource.KestrelEndpoints)]
    [InlineData("urls=http://127.0.0.1:7002;http_ports=7003", "http://127.0.0.1:7002", AddressSource.Urls)]
    [InlineData("http_ports=7003", "http://*:7003", AddressSource.Ports)]
    [InlineData("https_ports=7443", "https://*:7443", AddressSource.Ports)]
    [InlineData("", "http://localhost:8080", AddressSource.Default)]
    public void The_HTTP_address_follows_ASP_NET_Cores_precedence(string settings, string first, AddressSource source)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2)).Select(pair => KeyValuePair.Create(pair[0], (string?)pair[1]))).Build();

        var (urls, from) = HttpAddresses.Resolve(configuration);

        Assert.Equal(first, urls[0]);
        Assert.Equal(source, from);
    }

    [Fact]
    public async Task The_health_check_reads_the_same_url_settings_as_the_server()
    {
        await using var host = await TestHost.StartAsync();
        using var error = new StringWriter();

        var code = await HealthCheckCommand.RunAsync(["--urls", host.Http.ToString()], error).Within();

        Assert.True(code == 0, error.ToString());
    }

    [Fact]
    public async Task The_health_check_mode_answers_0_against_a_ready_server()
    {
        await using var host = await TestHost.StartAsync();
        using var error = new StringWriter();

        var code = await HealthCheckCommand.RunAsync([$"--Kestrel:Endpoints:Http:Url={host.Http}"], error).Within();

        Assert.True(code == 0, error.ToString());
    }
}
