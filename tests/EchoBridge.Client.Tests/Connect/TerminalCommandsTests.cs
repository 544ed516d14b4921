using EchoBridge.Client.Connect;
using EchoBridge.Client.Tests.Fakes;

namespace EchoBridge.Client.Tests.Connect;

public class TerminalCommandsTests
{
    [Fact]
    public void Commands_use_the_page_host_and_the_real_ports()
    {
        var commands = TerminalCommands.For(Snapshots.Snapshot().Endpoints, "echo.example").Select(c => c.Text).ToList();

        Assert.Contains("telnet echo.example 9999", commands);
        Assert.Contains("nc echo.example 9999", commands);
        Assert.Contains("nc -U /tmp/echobridge.sock", commands);
        Assert.Contains("nc -u echo.example 9999", commands);
        Assert.Contains(commands, c => c.Contains("socket.create_connection((\"echo.example\", 9999))", StringComparison.Ordinal));
    }

    [Fact]
    public void Rendered_commands_have_copy_buttons()
    {
        using var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        var cut = ctx.Render<ConnectCommands>(p => p
            .Add(c => c.Endpoints, Snapshots.Snapshot().Endpoints)
            .Add(c => c.PageHost, "localhost"));

        Assert.Contains("telnet localhost 9999", cut.Markup, StringComparison.Ordinal);
        cut.Find("button[aria-label='Copy the telnet command']").Click();
        Assert.Equal("Copied", cut.Find("button[aria-label='Copy the telnet command']").TextContent);
    }
}
