using EchoBridge.Client.Dashboard;
using EchoBridge.Client.Hub;
using EchoBridge.Client.Tests.Fakes;
using EchoBridge.Contracts;

namespace EchoBridge.Client.Tests.Dashboard;

public class DashboardPageTests : DashboardTestContext
{
    [Fact]
    public void Status_shows_endpoints_version_uptime_and_the_link_state()
    {
        var cut = Render<DashboardPage>();
        Hub.Snapshots.Writer.TryWrite(Snapshots.Snapshot(at: TimeSpan.FromSeconds(185)));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("connected", cut.Find("[data-testid=hub-state]").TextContent);
            Assert.Equal("3 m 05 s", cut.Find("[data-testid=uptime]").TextContent);
            Assert.Contains("v0.1.0", cut.Markup, StringComparison.Ordinal);
            var endpoints = cut.FindAll(".endpoints li").Select(li => li.TextContent.Trim()).ToList();
            Assert.Contains(endpoints, e => e.StartsWith("tcp 127.0.0.1:9999", StringComparison.Ordinal) && e.Contains("listening", StringComparison.Ordinal));
            Assert.Contains(endpoints, e => e.StartsWith("unix /tmp/echobridge.sock", StringComparison.Ordinal));
            Assert.Contains(endpoints, e => e.StartsWith("udp 127.0.0.1:9999", StringComparison.Ordinal));
        }, Wait);
    }

    [Fact]
    public void Link_state_follows_the_connection()
    {
        var cut = Render<DashboardPage>();

        Hub.SetState(HubState.Reconnecting);
        cut.WaitForAssertion(() => Assert.Equal("reconnecting…", cut.Find("[data-testid=hub-state]").TextContent), Wait);

        Hub.SetState(HubState.Offline);
        cut.WaitForAssertion(() => Assert.Equal("offline", cut.Find("[data-testid=hub-state]").TextContent), Wait);
    }

    [Fact]
    public void Watch_is_asked_for_again_after_a_reconnect()
    {
        Render<DashboardPage>();
        Assert.True(SpinWait.SpinUntil(() => Hub.WatchCalls == 1, Wait));

        // The server forgets a dropped connection's streams: the old one fails, a new one is opened once reconnected.
        Hub.SetState(HubState.Reconnecting);
        Hub.Snapshots.Writer.TryComplete(new InvalidOperationException("connection lost"));
        Hub.SetState(HubState.Connected);

        Assert.True(SpinWait.SpinUntil(() => Hub.WatchCalls >= 2, Wait));
    }

    [Fact]
    public void Numbers_and_chart_follow_the_snapshots()
    {
        var cut = Render<DashboardPage>();
        var sessions = new[] { Snapshots.Session(1), Snapshots.Session(2) };
        for (var s = 0; s < 5; s++)
        {
            Hub.Snapshots.Writer.TryWrite(Snapshots.Snapshot(sessions, messagesIn: 100 * s, at: TimeSpan.FromSeconds(s), total: 7));
        }

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("2", cut.Find("[data-testid=active]").TextContent);
            Assert.Equal("7", cut.Find("[data-testid=total]").TextContent);
            Assert.Equal(5, cut.Find("polyline.series-in").GetAttribute("points")!.Split(' ').Length);
            Assert.Contains("now 400 in", cut.Find("[data-testid=rate-chart]").GetAttribute("aria-label"), StringComparison.Ordinal);
        }, Wait);
    }

    [Fact]
    public void Inspect_button_points_the_inspector_at_the_session()
    {
        var cut = Render<DashboardPage>();
        Hub.Snapshots.Writer.TryWrite(Snapshots.Snapshot([Snapshots.Session(42)]));
        cut.WaitForAssertion(() => cut.Find("button[aria-label='Inspect session 42']"), Wait);

        cut.Find("button[aria-label='Inspect session 42']").Click();
        Hub.Inspect(42).TryWrite(new TrafficFrame(1, TrafficDirection.In, "hi"u8.ToArray(), Snapshots.Start));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("42", cut.Find("[data-testid=inspected-id]").TextContent);
            Assert.Contains("68 69", cut.Find(".frame-hex").TextContent, StringComparison.Ordinal);
        }, Wait);
    }
}
