using EchoBridge.Contracts;
using EchoBridge.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace EchoBridge.Tests.Bridge;

/// <summary>A client repeating refused hub calls can neither flood the log nor write its own text into it.</summary>
public sealed class HubLogFloodTests
{
    private const int Calls = 20_000;
    private const int InFlight = 200;

    // 2 KB of a client's choosing, with a NUL, a line break and an escape sequence in it.
    private static readonly string HostileName = "evil\0name\r\n[12:00:00 ERR] forged line \u001b[31m" + new string('x', 2048);

    private static Dictionary<string, string?> ShippedLevels(string level = "Information") => new()
    {
        ["Serilog:MinimumLevel:Default"] = level,
        ["Serilog:MinimumLevel:Override:Microsoft"] = "Warning",
        ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Warning",
        ["Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime"] = "Information",
    };

    [Fact]
    public async Task Twenty_thousand_refused_calls_grow_the_log_by_less_than_a_megabyte()
    {
        var directory = Directory.CreateTempSubdirectory("eb-log-");
        try
        {
            var settings = ShippedLevels();
            settings["EchoBridge:LogFile"] = Path.Combine(directory.FullName, "echobridge.log");
            settings["EchoBridge:LogFormat"] = "json";
            var refused = 0;
            await using (var host = await TestHost.StartAsync(settings))
            {
                await using var client = await BridgeClient.ConnectAsync(host);
                for (var sent = 0; sent < Calls; sent += InFlight)
                {
                    var calls = Enumerable.Range(0, InFlight)
                        .Select(_ => client.Connection.InvokeAsync<BridgeSessionInfo>(nameof(IBridgeHub.Open), HostileName))
                        .ToList();
                    foreach (var call in calls)
                    {
                        var error = await Assert.ThrowsAsync<HubException>(() => call.Within());
                        Assert.Contains("Unknown target", error.Message, StringComparison.Ordinal);
                        refused++;
                    }
                }
            }

            var files = directory.GetFiles();
            var bytes = files.Sum(f => f.Length);
            var text = string.Concat(files.Select(f => File.ReadAllText(f.FullName)));
            Assert.Equal(Calls, refused);
            Assert.True(bytes < 1024 * 1024, $"the log grew by {bytes:N0} bytes");
            Assert.DoesNotContain("\"@l\":\"Error\"", text, StringComparison.Ordinal);
            Assert.DoesNotContain("forged line", text, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_refusal_is_logged_at_Debug_without_a_stack_trace_its_text_cut_and_escaped()
    {
        var logs = new LogCapture();
        var settings = ShippedLevels("Debug");
        settings["Serilog:MinimumLevel:Override:Microsoft.AspNetCore.SignalR"] = "Debug";
        await using var host = await TestHost.StartAsync(settings, builder => builder.Services.AddSingleton<ILogEventSink>(logs));
        await using var client = await BridgeClient.ConnectAsync(host);

        await Assert.ThrowsAsync<HubException>(() => client.OpenAsync(HostileName));
        await Bounded.UntilAsync(() => logs.Events.Any(e => e.MessageTemplate.Text.StartsWith("Refused {HubMethod}", StringComparison.Ordinal)), "the refusal is logged");

        var refusal = logs.Events.Single(e => e.MessageTemplate.Text.StartsWith("Refused {HubMethod}", StringComparison.Ordinal));
        Assert.Equal(LogEventLevel.Debug, refusal.Level);
        Assert.Null(refusal.Exception);
        var why = (string)((ScalarValue)refusal.Properties["Why"]).Value!;
        Assert.StartsWith("Unknown target 'evil\\0name\\r\\n[12:00:00 ERR]", why, StringComparison.Ordinal);
        Assert.EndsWith("chars)", why, StringComparison.Ordinal);
        Assert.True(why.Length < 100, why);
        Assert.DoesNotContain(logs.Events, e => e.Level >= LogEventLevel.Error);
        // Whatever else reached the log (SignalR's own Debug events carry the invocation), nothing is long or raw.
        foreach (var logEvent in logs.Events)
        {
            foreach (var (_, value) in logEvent.Properties)
            {
                var rendered = value.ToString();
                Assert.True(rendered.Length < 400, rendered);
                Assert.DoesNotContain('\0', rendered);
                Assert.DoesNotContain('\n', rendered);
            }
        }
    }
}
