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
}
