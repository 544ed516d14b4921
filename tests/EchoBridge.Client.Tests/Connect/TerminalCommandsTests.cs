using EchoBridge.Contracts;
using EchoBridge.Client.Connect;
using EchoBridge.Client.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace EchoBridge.Client.Tests.Connect;

public class TerminalCommandsTests
{
    public TerminalCommandsTests() => TestCulture.Use("en");

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
    public void The_WebSocket_bridge_gets_its_URL_and_websocat_and_noVNC_lines_from_the_page_origin()
    {
        var endpoints = Snapshots.Snapshot().Endpoints.Append(new EndpointStatus("websocket", "/websockify", true, false)).ToList();

        var commands = TerminalCommands.For(endpoints, "echo.example", "echo.example:8080").Select(c => c.Text).ToList();
        var secure = TerminalCommands.For(endpoints, "echo.example", "echo.example", secure: true).Select(c => c.Text).ToList();

        Assert.Contains("ws://echo.example:8080/websockify/echo", commands);
        Assert.Contains("websocat --binary ws://echo.example:8080/websockify/echo", commands);
        Assert.Contains("vnc.html?host=echo.example&port=8080&path=websockify%3Ftoken%3Dvnc", commands);
        Assert.Contains("wss://echo.example/websockify/echo", secure);
        Assert.Contains("vnc.html?host=echo.example&port=443&path=websockify%3Ftoken%3Dvnc", secure);
    }

    [Fact]
    public void Rendered_commands_have_copy_buttons()
    {
        using var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddLocalization();
        var cut = ctx.Render<ConnectCommands>(p => p
            .Add(c => c.Endpoints, Snapshots.Snapshot().Endpoints)
            .Add(c => c.PageHost, "localhost"));

        Assert.Contains("telnet localhost 9999", cut.Markup, StringComparison.Ordinal);
        cut.Find("button[aria-label='Copy the telnet command']").Click();
        Assert.Equal("Copied", cut.Find("button[aria-label='Copy the telnet command']").TextContent);
    }
}
