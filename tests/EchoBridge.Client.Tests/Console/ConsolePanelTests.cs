using System.Text;
using EchoBridge.Client.Console;
using EchoBridge.Client.Tests.Fakes;
using EchoBridge.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace EchoBridge.Client.Tests.Console;

public class ConsolePanelTests : DashboardTestContext
{
    private IRenderedComponent<ConsolePanel> RenderConnected()
    {
        var cut = Render<ConsolePanel>(p => p.Add(c => c.Number, 1).Add(c => c.Targets, Hub.Targets));
        cut.Find("button.primary").Click();
        cut.WaitForAssertion(() => Assert.Contains("Connected to echo", cut.Find("[role=log]").TextContent, StringComparison.Ordinal), Wait);
        return cut;
    }

    private static void Type(IRenderedComponent<ConsolePanel> cut, string text)
    {
        cut.Find("form.send input.mono").Input(text);
        cut.Find("form.send").Submit();
    }

    [Fact]
    public void Connects_to_echo_by_default_and_sends_a_line_with_LF()
    {
        var cut = RenderConnected();

        Type(cut, "hola");

        Assert.Equal(["echo"], Hub.OpenedTargets);
        Assert.Equal([("b1", "hola\n")], Hub.SentText);
        Assert.Contains("hola ↵", cut.Find(".entry.sent").TextContent, StringComparison.Ordinal);
        Assert.Equal(string.Empty, cut.Find("form.send input.mono").GetAttribute("value"));
    }

    [Theory]
    [InlineData("CrLf", "quit\r\n")]
    [InlineData("None", "quit")]
    public void The_line_ending_is_the_chosen_one(string ending, string sent)
    {
        var cut = RenderConnected();
        cut.Find("form.send select").Change(ending);

        Type(cut, "quit");

        Assert.Equal(sent, Assert.Single(Hub.SentText).Text);
    }

    [Fact]
    public void Hex_mode_sends_raw_bytes_and_explains_bad_input()
    {
        var cut = RenderConnected();
        cut.Find("form.send input[type=checkbox]").Change(true);

        Type(cut, "68 6f 0a");
        Type(cut, "6g");

        Assert.Equal(new byte[] { 0x68, 0x6f, 0x0a }, Assert.Single(Hub.SentBytes).Data);
        Assert.Contains("'g' is not a hex digit.", cut.Find(".entry.error").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Replies_stream_in_with_a_round_trip_time_and_split_characters_render_right()
    {
        var cut = RenderConnected();
        Type(cut, "olé");
        var bytes = Encoding.UTF8.GetBytes("olé\n");
        var receive = Hub.Receive("b1");

        receive.TryWrite(new BridgeFrame(1, bytes[..3], DateTimeOffset.UtcNow)); // "ol" + half of é
        receive.TryWrite(new BridgeFrame(2, bytes[3..], DateTimeOffset.UtcNow));

        cut.WaitForAssertion(() =>
        {
            var received = cut.FindAll(".entry.received").Select(e => e.QuerySelector(".text")!.TextContent).ToList();
            Assert.Equal("olé\n", string.Concat(received));
            Assert.Matches(@"^\d+(\.\d)? ms$", cut.Find(".entry.received .rtt").TextContent);
        }, Wait);
    }

    [Fact]
    public void The_reason_is_shown_when_the_target_closes()
    {
        var cut = RenderConnected();
        Hub.Receive("b1").TryWrite(new BridgeFrame(1, "Goodbye.\r\n"u8.ToArray(), DateTimeOffset.UtcNow, "the target closed the connection"));

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("Closed: the target closed the connection", cut.FindAll(".entry.info")[^1].TextContent, StringComparison.Ordinal);
            Assert.NotNull(cut.Find("button.primary")); // Connect again
        }, Wait);
    }

    [Fact]
    public void Disconnect_closes_the_bridge_session()
    {
        var cut = RenderConnected();
        cut.FindAll("button").First(b => b.TextContent == "Disconnect").Click();

        Assert.Equal(["b1"], Hub.Closed);
        cut.WaitForAssertion(() => Assert.Contains("Closed: closed by the client", cut.Find("[role=log]").TextContent, StringComparison.Ordinal), Wait);
    }

    [Fact]
    public void Up_and_down_walk_the_history()
    {
        var cut = RenderConnected();
        Type(cut, "one");
        Type(cut, "two");
        var input = cut.Find("form.send input.mono");

        input.KeyDown("ArrowUp");
        Assert.Equal("two", cut.Find("form.send input.mono").GetAttribute("value"));
        cut.Find("form.send input.mono").KeyDown("ArrowUp");
        Assert.Equal("one", cut.Find("form.send input.mono").GetAttribute("value"));
        cut.Find("form.send input.mono").KeyDown("ArrowDown");
        Assert.Equal("two", cut.Find("form.send input.mono").GetAttribute("value"));
    }

    [Fact]
    public void Clear_empties_the_transcript()
    {
        var cut = RenderConnected();
        Type(cut, "hola");

        cut.FindAll("button").First(b => b.TextContent == "Clear").Click();

        Assert.Empty(cut.FindAll(".entry"));
    }

    [Fact]
    public void A_refused_open_is_explained_in_plain_words()
    {
        Hub.OpenError = new HubException("HubException: The target 'echo' refused the connection.");
        var cut = Render<ConsolePanel>(p => p.Add(c => c.Number, 1).Add(c => c.Targets, Hub.Targets));

        cut.Find("button.primary").Click();

        Assert.Equal("Could not connect to echo: The target 'echo' refused the connection.", cut.Find(".entry.error .text").TextContent);
    }

    [Fact]
    public void The_transcript_autoscrolls_through_follow_js()
    {
        RenderConnected();
        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "echoBridge.follow");
    }

    [Fact]
    public void More_than_one_console_can_be_open()
    {
        var cut = Render<ConsoleList>();
        cut.Find("button.add-console").Click();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll(".console").Count), Wait);
        foreach (var connect in cut.FindAll("button.primary"))
        {
            connect.Click();
        }

        cut.WaitForAssertion(() => Assert.Equal(2, Hub.OpenedTargets.Count), Wait);
    }
}
