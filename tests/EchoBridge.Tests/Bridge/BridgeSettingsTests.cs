using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Bridge;

public sealed class BridgeSettingsTests
{
    private static async Task<(int ExitCode, string Stderr)> RunToFailureAsync(params string[] more)
    {
        var socketPath = Path.Combine(Path.GetTempPath(), $"eb-{Guid.NewGuid():N}"[..11] + ".sock");
        var args = HostProcess.LoopbackArgs(FreePort.Tcp(), FreePort.Tcp(), socketPath);
        args.AddRange(more);
        await using var server = HostProcess.Start(args);
        var code = await server.WaitForExitAsync(TimeSpan.FromSeconds(20));
        return (code, server.Stderr);
    }

    [Theory]
    [InlineData("--Bridge:MaxSessionsPerConnection=0", "echobridge: Bridge:MaxSessionsPerConnection must be more than 0 (got 0)")]
    [InlineData("--Bridge:Targets:web:Port=80", "echobridge: Bridge:Targets:web:Host must be set")]
    [InlineData("--Bridge:AllowedOrigins:0=dash.example.com", "echobridge: Bridge:AllowedOrigins must hold absolute origins like https://example.com (got 'dash.example.com')")]
    public async Task A_bad_bridge_setting_ends_the_start_with_one_line_naming_it(string arg, string expected)
    {
        var (code, stderr) = await RunToFailureAsync(arg);

        Assert.Equal(1, code);
        Assert.Equal(expected, stderr.Trim());
    }

    [Theory]
    [InlineData("--Bridge:Targets:lab:AllowUntrustedCertificate=true",
        "echobridge: Bridge:Targets:lab:AllowUntrustedCertificate needs Bridge:Targets:lab:Tls=true")]
    [InlineData("--Bridge:Targets:echo:Tls=true",
        "echobridge: Bridge:Targets:echo:Tls cannot be set: echo is the plain TCP listener (name another target for the TLS echo)")]
    public async Task A_bad_TLS_target_setting_ends_the_start_with_one_line_naming_it(string arg, string expected)
    {
        var (code, stderr) = await RunToFailureAsync("--Bridge:Targets:lab:Host=localhost", "--Bridge:Targets:lab:Port=443", arg);

        Assert.Equal(1, code);
        Assert.Equal(expected, stderr.Trim());
    }

    [Theory]
    [InlineData("--Bridge:Targets:lab:Tsl=true", "Tsl")]
    [InlineData("--Bridge:Targets:lab:Tls=yes", "Bridge:Targets:lab:Tls")]
    public async Task A_misspelt_or_unreadable_TLS_target_setting_is_an_error_naming_it(string arg, string named)
    {
        var (code, stderr) = await RunToFailureAsync("--Bridge:Targets:lab:Host=localhost", "--Bridge:Targets:lab:Port=443", arg);

        Assert.Equal(1, code);
        Assert.Contains(named, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task A_misspelt_bridge_setting_is_an_error()
    {
        var (code, stderr) = await RunToFailureAsync("--Bridge:MaxSesionsPerConnection=3");

        Assert.Equal(1, code);
        Assert.Contains("MaxSesionsPerConnection", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}
