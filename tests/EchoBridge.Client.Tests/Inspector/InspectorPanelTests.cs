using EchoBridge.Client.Inspector;
using EchoBridge.Client.Tests.Fakes;
using EchoBridge.Contracts;

namespace EchoBridge.Client.Tests.Inspector;

public class InspectorPanelTests : DashboardTestContext
{
    private static TrafficFrame Frame(long seq, TrafficDirection direction, string text) =>
        new(seq, direction, System.Text.Encoding.UTF8.GetBytes(text), Snapshots.Start.AddSeconds(seq));

    [Fact]
    public void Frames_show_direction_text_and_hex()
    {
        var cut = Render<InspectorPanel>(p => p.Add(c => c.SessionId, 7L));
        Hub.Inspect(7).TryWrite(Frame(1, TrafficDirection.In, "hola\n"));
        Hub.Inspect(7).TryWrite(Frame(2, TrafficDirection.Out, "hola\n"));

        cut.WaitForAssertion(() =>
        {
            var frames = cut.FindAll(".frame");
            Assert.Equal(2, frames.Count);
            Assert.Contains("→ in", frames[0].TextContent, StringComparison.Ordinal);
            Assert.Contains("← out", frames[1].TextContent, StringComparison.Ordinal);
            Assert.Equal("hola↵", frames[0].QuerySelector(".frame-text")!.TextContent);
            Assert.Contains("68 6f 6c 61 0a", frames[0].QuerySelector(".frame-hex")!.TextContent, StringComparison.Ordinal);
        }, Wait);
    }

    [Fact]
    public void Pause_holds_new_frames_until_resume()
    {
        var cut = Render<InspectorPanel>(p => p.Add(c => c.SessionId, 7L));
        Hub.Inspect(7).TryWrite(Frame(1, TrafficDirection.In, "a"));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(".frame")), Wait);

        cut.Find("button[aria-pressed]").Click();
        Hub.Inspect(7).TryWrite(Frame(2, TrafficDirection.In, "b"));
        cut.WaitForAssertion(() => Assert.Equal("Resume (1 new)", cut.Find("button[aria-pressed]").TextContent), Wait);
        Assert.Single(cut.FindAll(".frame"));

        cut.Find("button[aria-pressed]").Click();
        Assert.Equal(2, cut.FindAll(".frame").Count);
    }

    [Fact]
    public void History_is_bounded()
    {
        var cut = Render<InspectorPanel>(p => p.Add(c => c.SessionId, 7L));
        for (var i = 1; i <= InspectorPanel.MaxFrames + 50; i++)
        {
            Hub.Inspect(7).TryWrite(Frame(i, TrafficDirection.In, "x"));
        }

        cut.WaitForAssertion(() =>
        {
            var frames = cut.FindAll(".frame");
            Assert.Equal(InspectorPanel.MaxFrames, frames.Count);
        }, Wait);
    }

    [Fact]
    public void Picking_another_session_switches_the_stream()
    {
        var cut = Render<InspectorPanel>(p => p.Add(c => c.SessionId, 7L));
        Hub.Inspect(7).TryWrite(Frame(1, TrafficDirection.In, "seven"));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(".frame")), Wait);

        cut.Render(p => p.Add(c => c.SessionId, 8L));
        Hub.Inspect(8).TryWrite(Frame(1, TrafficDirection.In, "eight"));

        cut.WaitForAssertion(() => Assert.Equal("eight", Assert.Single(cut.FindAll(".frame-text")).TextContent), Wait);
    }
}
