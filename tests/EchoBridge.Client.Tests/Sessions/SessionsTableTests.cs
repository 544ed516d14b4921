using EchoBridge.Client.Sessions;
using EchoBridge.Client.Tests.Fakes;
using EchoBridge.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace EchoBridge.Client.Tests.Sessions;

public class SessionsTableTests : DashboardTestContext
{
    private static readonly SessionSummary[] Mixed =
    [
        Snapshots.Session(1, SessionKind.Tcp, "127.0.0.1:40001", bytesIn: 300),
        Snapshots.Session(2, SessionKind.Unix, "pid 4242 uid 1000", bytesIn: 100),
        Snapshots.Session(3, SessionKind.Udp, "127.0.0.1:50003", bytesIn: 200),
        Snapshots.Session(4, SessionKind.Tcp, "127.0.0.1:40004", bytesIn: 50, bridge: "b7") with { BridgeClient = "203.0.113.7" },
    ];

    private IRenderedComponent<SessionsTable> RenderTable() => Render<SessionsTable>(p => p
        .Add(c => c.Sessions, Mixed)
        .Add(c => c.Active, Mixed.Length)
        .Add(c => c.Now, Snapshots.Start.AddMinutes(1)));

    private static List<string> Ids(IRenderedComponent<SessionsTable> cut) =>
        [.. cut.FindAll("tbody tr[data-session-id]").Select(r => r.GetAttribute("data-session-id")!)];

    [Fact]
    public void Every_kind_is_listed_and_a_bridged_session_is_marked()
    {
        var cut = RenderTable();

        Assert.Equal(["1", "2", "3", "4"], Ids(cut));
        var kinds = cut.FindAll("tbody .kind").Select(k => k.TextContent).ToList();
        Assert.Equal(["tcp", "unix", "udp", "bridged"], kinds);
        Assert.Contains("via bridge from 203.0.113.7", cut.Find("tr[data-session-id='4']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_session_of_the_WebSocket_bridge_is_kind_websocket_and_has_its_own_filter()
    {
        var webSocket = Snapshots.Session(5, bridge: "b9") with { BridgeVia = "websocket" };
        var hub = Snapshots.Session(6, bridge: "b10") with { BridgeVia = "hub" };

        Assert.Equal("websocket", EchoBridge.Client.Sessions.SessionView.KindOf(webSocket));
        Assert.Equal("bridged", EchoBridge.Client.Sessions.SessionView.KindOf(hub));
        var only = EchoBridge.Client.Sessions.SessionView.Apply([webSocket, hub], "websocket", "", SessionColumn.Id, false);
        Assert.Equal([5L], only.Select(s => s.Id));
    }

    [Fact]
    public void Sorting_by_a_column_and_again_reverses_it()
    {
        var cut = RenderTable();

        cut.FindAll("th button.sort")[4].Click(); // Bytes in
        Assert.Equal(["4", "2", "3", "1"], Ids(cut));
        Assert.Equal("ascending", cut.FindAll("th")[4].GetAttribute("aria-sort"));

        cut.FindAll("th button.sort")[4].Click();
        Assert.Equal(["1", "3", "2", "4"], Ids(cut));
    }

    [Fact]
    public void Filtering_by_kind_and_by_text()
    {
        var cut = RenderTable();

        cut.Find("select").Change("bridged");
        Assert.Equal(["4"], Ids(cut));

        cut.Find("select").Change("all");
        cut.Find("input[type=search]").Input("pid 4242");
        Assert.Equal(["2"], Ids(cut));

        cut.Find("input[type=search]").Input("nothing like it");
        Assert.Contains("match the filter", cut.Find("tbody").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Disconnect_asks_first_and_only_then_calls_the_hub()
    {
        var cut = RenderTable();

        cut.Find("button[aria-label='Disconnect session 3']").Click();
        Assert.Contains("Disconnect session 3 (udp 127.0.0.1:50003)?", cut.Find("[role=alertdialog]").TextContent, StringComparison.Ordinal);
        cut.Find("[role=alertdialog] button:not(.danger)").Click(); // Cancel
        Assert.Empty(Hub.Disconnected);
        Assert.Empty(cut.FindAll("[role=alertdialog]"));

        cut.Find("button[aria-label='Disconnect session 3']").Click();
        cut.Find("[role=alertdialog] button.danger").Click();
        Assert.Equal([3L], Hub.Disconnected);
    }

    [Fact]
    public void A_failed_disconnect_is_explained_in_plain_words()
    {
        Hub.DisconnectError = new HubException("An unexpected error occurred invoking 'Disconnect' on the server. HubException: Unknown session 3.");
        var cut = RenderTable();

        cut.Find("button[aria-label='Disconnect session 3']").Click();
        cut.Find("[role=alertdialog] button.danger").Click();

        Assert.Equal("Could not disconnect session 3: Unknown session 3.", cut.Find("[role=alert]").TextContent);
    }

    [Fact]
    public void The_table_says_when_it_lists_only_the_most_recently_active()
    {
        var cut = Render<SessionsTable>(p => p.Add(c => c.Sessions, Mixed).Add(c => c.Active, 1000));
        Assert.Contains("the 4 most recently active are listed", cut.Find("[data-testid=session-count]").TextContent, StringComparison.Ordinal);
    }
}
