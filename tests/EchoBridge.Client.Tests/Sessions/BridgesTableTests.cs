using EchoBridge.Client.Sessions;
using EchoBridge.Client.Tests.Fakes;
using EchoBridge.Contracts;

namespace EchoBridge.Client.Tests.Sessions;

public class BridgesTableTests : DashboardTestContext
{
    [Fact]
    public void Bridge_sessions_are_listed_open_and_closed_with_export_and_replay_by_their_bridge_id()
    {
        string? replayed = null;
        var open = new BridgeSessionSummary("b3", "raw", "hub", "127.0.0.1:41000", "127.0.0.1:7000",
            Snapshots.Start, 5, 7, Snapshots.Start.AddSeconds(50));
        var closed = new BridgeSessionSummary("b2", "raw", "websocket", "127.0.0.1:40999", "127.0.0.1:7000",
            Snapshots.Start, 1, 1, Snapshots.Start.AddSeconds(20), Snapshots.Start.AddSeconds(30), "target closed");
        var cut = Render<BridgesTable>(p => p
            .Add(c => c.Bridges, [open, closed])
            .Add(c => c.Now, Snapshots.Start.AddMinutes(1))
            .Add(c => c.OnReplay, id => replayed = id));

        var row = cut.Find("tr[data-bridge-id='b2']");
        Assert.Contains("closed", row.ClassName, StringComparison.Ordinal);
        Assert.Equal("closed (target closed)", row.QuerySelector("[data-testid=closed]")!.TextContent);
        Assert.Equal("api/sessions/b2/capture.pcapng", row.QuerySelector("a[download]")!.GetAttribute("href"));
        var live = cut.Find("tr[data-bridge-id='b3']");
        Assert.Null(live.QuerySelector("[data-testid=closed]"));
        Assert.Contains("127.0.0.1:41000 → 127.0.0.1:7000", live.TextContent, StringComparison.Ordinal);

        live.QuerySelector("button[aria-label='Replay bridge session b3']")!.Click();
        Assert.Equal("b3", replayed);
    }
}
