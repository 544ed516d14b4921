using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Hosting;

/// <summary>The <c>EchoBridge:</c> section is bound, validated and refuses unknown keys like every other section.</summary>
public sealed class SettingsTests
{
    private static async Task<(int ExitCode, string Stderr, string Stdout)> RunToFailureAsync(params string[] extra)
    {
        var socketPath = Path.Combine(Path.GetTempPath(), $"eb-{Guid.NewGuid():N}"[..11] + ".sock");
        var args = HostProcess.LoopbackArgs(FreePort.Tcp(), FreePort.Tcp(), socketPath);
        args.AddRange(extra);
        await using var server = HostProcess.Start(args);
        var code = await server.WaitForExitAsync(TimeSpan.FromSeconds(20));
        return (code, server.Stderr, server.Stdout);
    }

    private static string OneLine(string stderr, string stdout)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got:\n{stderr}\nstdout:\n{stdout}");
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
        Assert.StartsWith("echobridge: ", lines[0], StringComparison.Ordinal);
        return lines[0].TrimEnd('\r');
    }

    [Fact]
    public async Task A_misspelt_EchoBridge_setting_fails_the_start_with_one_line_naming_it()
    {
        var (code, stderr, stdout) = await RunToFailureAsync("--EchoBridge:AccesToken=s3cret");

        Assert.Equal(1, code);
        var line = OneLine(stderr, stdout);
        Assert.Equal("echobridge: unknown setting 'EchoBridge:AccesToken' (see --help)", line);
        Assert.DoesNotContain("s3cret", stdout + stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--EchoBridge:LogFormat=jsn", "EchoBridge:LogFormat must be 'text' or 'json' (got 'jsn')")]
    [InlineData("--EchoBridge:ShutdownTimeoutSeconds=0", "EchoBridge:ShutdownTimeoutSeconds must be more than 0 and at most 3600 (got 0)")]
    [InlineData("--EchoBridge:RefusalLogIntervalSeconds=0", "EchoBridge:RefusalLogIntervalSeconds must be between 1 and 3600 (got 0)")]
    [InlineData("--EchoBridge:ForwardedHeaders:KnownProxies:0=10.0.0", "EchoBridge:ForwardedHeaders:KnownProxies must be IP addresses such as 10.0.0.5 (got '10.0.0')")]
    [InlineData("--EchoBridge:ForwardedHeaders:KnownProxies:0=proxy.example", "EchoBridge:ForwardedHeaders:KnownProxies must be IP addresses such as 10.0.0.5 (got 'proxy.example')")]
    [InlineData("--EchoBridge:ForwardedHeaders:KnownNetworks:0=10.0.0.1/8", "EchoBridge:ForwardedHeaders:KnownNetworks must be networks in CIDR notation such as 10.0.0.0/8, with no host bits set (got '10.0.0.1/8')")]
    [InlineData("--EchoBridge:ForwardedHeaders:KnownNetworks:0=10.0.0.0", "EchoBridge:ForwardedHeaders:KnownNetworks must be networks in CIDR notation such as 10.0.0.0/8, with no host bits set (got '10.0.0.0')")]
    [InlineData("--EchoBridge:ForwardedHeaders:ForwardLimit=0", "EchoBridge:ForwardedHeaders:ForwardLimit must be between 1 and 10 (got 0)")]
    [InlineData("--EchoBridge:ForwardedHeaders:KnownProxies=10.0.0.5", "Failed to convert configuration value '10.0.0.5' at 'EchoBridge:ForwardedHeaders:KnownProxies' to type 'System.String[]'.")]
    public async Task A_bad_EchoBridge_value_fails_the_start_with_one_line_naming_it(string arg, string expected)
    {
        var (code, stderr, stdout) = await RunToFailureAsync(arg);

        Assert.Equal(1, code);
        Assert.Equal("echobridge: " + expected, OneLine(stderr, stdout));
    }

    [Fact]
    public async Task A_misspelt_nested_setting_is_refused_too()
    {
        var (code, stderr, stdout) = await RunToFailureAsync("--EchoBridge:Metrics:Enabeld=false");

        Assert.Equal(1, code);
        Assert.Equal("echobridge: unknown setting 'EchoBridge:Metrics:Enabeld' (see --help)", OneLine(stderr, stdout));
    }

    [Fact]
    public async Task A_token_and_open_access_together_are_refused()
    {
        var (code, stderr, stdout) = await RunToFailureAsync("--EchoBridge:AccessToken=abc", "--EchoBridge:OpenAccess=true");

        Assert.Equal(1, code);
        Assert.Contains("EchoBridge:OpenAccess", OneLine(stderr, stdout), StringComparison.Ordinal);
    }
}
