using EchoBridge.Client.Dashboard;
using EchoBridge.Client.Hub;
using EchoBridge.Client.Lab;
using EchoBridge.Client.Tests.Fakes;
using EchoBridge.Contracts;

namespace EchoBridge.Client.Tests.Lab;

public class LabPageTests : DashboardTestContext
{
    [Theory]
    [InlineData("en", "EchoBridge · Socket lab", "The kernel's view", "Experiment: the backlog", "A session's life", "Experiments", "The lesson's code", "← Dashboard")]
    [InlineData("es", "EchoBridge · Laboratorio de sockets", "Lo que ve el kernel", "Experimento: el backlog", "La vida de una sesión", "Experimentos", "El código de la lección", "← Panel")]
    public void The_page_puts_every_part_under_its_heading_fed_by_the_two_streams(
        string culture, string title, string kernel, string backlog, string timeline, string experiments, string code, string back)
    {
        using var _ = UiCulture.Use(culture);
        var cut = Render<LabPage>();
        Hub.Snapshots.Writer.TryWrite(Snapshots.Snapshot([Snapshots.Session(7)]));
        Hub.KernelViews.Writer.TryWrite(LabViews.View(backlog: 10, rows: [LabViews.Listen(4)]));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(title, cut.Find("h1").TextContent.Trim());
            Assert.Equal([kernel, backlog, timeline, experiments, code], cut.FindAll("h2").Select(h => h.TextContent));
            Assert.Equal(back, cut.Find("header nav a").TextContent);
            Assert.Equal("./", cut.Find("header nav a").GetAttribute("href"));
            Assert.All(cut.FindAll("[data-testid=accept-count]"), c => Assert.Equal("4", c.TextContent));
            Assert.Equal(2, cut.FindAll("[data-testid=accept-count]").Count); // the kernel's view and the experiment's
            Assert.Contains("s.connect((\"localhost\", 9999))", cut.Find("[data-testid=snippet-python-client] pre").TextContent, StringComparison.Ordinal);
            Assert.Contains(cut.FindAll("#timeline-session option"), o => o.GetAttribute("value") == "7");
            Assert.Equal(3, cut.FindAll(".experiments article").Count);
        }, Wait);
    }

    [Fact]
    public void Both_streams_are_asked_for_again_after_a_reconnect()
    {
        var cut = Render<LabPage>();
        Hub.KernelViews.Writer.TryWrite(LabViews.View(rows: [LabViews.Listen(1)]));
        cut.WaitForAssertion(() => Assert.Equal("1", cut.FindAll("[data-testid=accept-count]")[0].TextContent), Wait);
        Assert.True(SpinWait.SpinUntil(() => Hub.WatchCalls == 1, Wait));

        Hub.SetState(HubState.Reconnecting);
        Hub.Snapshots.Writer.TryComplete(new InvalidOperationException("connection lost"));
        Hub.SetState(HubState.Connected);

        Assert.True(SpinWait.SpinUntil(() => Hub.WatchCalls >= 2, Wait));
    }

    [Theory]
    [InlineData("en", "Socket lab")]
    [InlineData("es", "Laboratorio de sockets")]
    public void The_dashboards_top_bar_links_to_the_lab(string culture, string text)
    {
        using var _ = UiCulture.Use(culture);

        var cut = Render<DashboardPage>();

        var link = cut.Find("header [data-testid=lab-link]");
        Assert.Equal(text, link.TextContent);
        Assert.Equal("lab", link.GetAttribute("href"));
    }
}
