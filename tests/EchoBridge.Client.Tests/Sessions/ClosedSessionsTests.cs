using EchoBridge.Client.Sessions;
using EchoBridge.Client.Tests.Fakes;
using EchoBridge.Contracts;

namespace EchoBridge.Client.Tests.Sessions;

public class ClosedSessionsTests : DashboardTestContext
{
    [Fact]
    public void Closed_sessions_stay_listed_with_their_end_reason_an_export_link_and_replay_but_no_disconnect()
    {
        long? replayed = null;
        var live = Snapshots.Session(2, SessionKind.Tcp, "127.0.0.1:40002");
        var closed = Snapshots.Session(1, SessionKind.Tcp, "127.0.0.1:40001") with
        {
            ClosedAt = Snapshots.Start.AddSeconds(30),
            CloseReason = "quit",
        };
        var cut = Render<SessionsTable>(p => p
            .Add(c => c.Sessions, [live])
            .Add(c => c.Closed, [closed])
            .Add(c => c.Active, 1)
            .Add(c => c.Now, Snapshots.Start.AddMinutes(1))
            .Add(c => c.OnReplay, id => replayed = id));

        var row = cut.Find("tr[data-session-id='1']");
        Assert.Contains("closed", row.ClassName, StringComparison.Ordinal);
        Assert.Equal("closed (quit)", row.QuerySelector("[data-testid=closed]")!.TextContent);
        Assert.Null(row.QuerySelector("button.danger"));
        Assert.Equal("api/sessions/1/capture.pcapng", row.QuerySelector("a[download]")!.GetAttribute("href"));
        Assert.NotNull(cut.Find("tr[data-session-id='2'] button.danger"));
        Assert.Equal("api/captures.pcapng?closed=true", cut.Find(".toolbar a[download]").GetAttribute("href"));

        row.QuerySelector("button[aria-label='Replay session 1']")!.Click();
        Assert.Equal(1, replayed);
    }

    [Fact]
    public void Export_shown_names_the_sessions_the_filter_selects_at_most_a_hundred()
    {
        var sessions = Enumerable.Range(1, 150)
            .Select(i => Snapshots.Session(i, i % 2 == 0 ? SessionKind.Udp : SessionKind.Tcp, $"127.0.0.1:{40000 + i}"))
            .ToList();
        var cut = Render<SessionsTable>(p => p
            .Add(c => c.Sessions, sessions)
            .Add(c => c.Active, sessions.Count)
            .Add(c => c.Now, Snapshots.Start.AddMinutes(1)));

        var all = cut.Find("[data-testid=export-shown]");
        Assert.Contains("the first 100 shown", all.TextContent, StringComparison.Ordinal);
        Assert.Equal(100, all.GetAttribute("href")!.Split('=')[1].Split(',').Length);

        cut.Find("select").Change("udp");
        var udp = cut.Find("[data-testid=export-shown]");
        Assert.Equal("Export shown (pcapng)", udp.TextContent.Trim());
        Assert.Equal("api/captures.pcapng?ids=" + string.Join(',', Enumerable.Range(1, 75).Select(i => i * 2)), udp.GetAttribute("href"));

        cut.Find("input[type=search]").Input("no such session");
        Assert.Empty(cut.FindAll("[data-testid=export-shown]"));
    }
}
