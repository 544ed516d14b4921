using EchoBridge.Client.Lab;
using EchoBridge.Client.Tests.Fakes;
using EchoBridge.Contracts;

namespace EchoBridge.Client.Tests.Lab;

public class KernelPanelTests : DashboardTestContext
{
    [Theory]
    [InlineData("en", "Connected: both sides can send and receive.", "waiting for accept(), backlog 3", "2 waiting for accept()")]
    [InlineData("es", "Conectado: los dos lados pueden enviar y recibir.", "esperando a accept(), backlog 3", "2 esperando a accept()")]
    public void Rows_show_state_meaning_both_ends_and_queues_and_the_accept_queue_against_the_backlog(
        string culture, string established, string ofBacklog, string listenQueue)
    {
        using var _ = UiCulture.Use(culture);
        var view = LabViews.View(backlog: 3, rows:
        [
            LabViews.Listen(waiting: 2),
            LabViews.Row("ESTABLISHED", "127.0.0.1:9999", "127.0.0.1:41000", tx: 0, rx: 17),
            LabViews.Row("ESTABLISHED", "127.0.0.1:41000", "127.0.0.1:9999", tx: 5, rx: 0),
        ]);

        var cut = Render<KernelPanel>(p => p.Add(c => c.View, view));

        var rows = cut.FindAll(".kernel-table tbody tr");
        Assert.Equal(3, rows.Count);
        var cells = rows[1].QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.StartsWith("ESTABLISHED", cells[0], StringComparison.Ordinal);
        Assert.Equal(established, rows[1].QuerySelector(".explain")!.TextContent);
        Assert.Equal(["127.0.0.1:9999", "127.0.0.1:41000", "0", "17"], cells[1..]);
        Assert.Equal(listenQueue, rows[0].QuerySelectorAll("td")[4].TextContent);

        var meter = cut.Find("[data-testid=accept-queue]");
        Assert.Equal("2", meter.QuerySelector("[data-testid=accept-count]")!.TextContent);
        Assert.Contains(ofBacklog, meter.TextContent, StringComparison.Ordinal);
        Assert.Equal("3", meter.QuerySelector("meter")!.GetAttribute("max"));
        Assert.Equal("2", meter.QuerySelector("meter")!.GetAttribute("value"));
    }

    [Theory]
    [InlineData("en", "Listening: waiting for clients", "TIME_WAIT", "This side closed first")]
    [InlineData("es", "Escuchando: espera clientes", "TIME_WAIT", "Este lado cerró primero")]
    public void Every_known_state_is_explained_in_the_pages_language(string culture, string listen, string state, string explained)
    {
        using var _ = UiCulture.Use(culture);
        var states = new[] { "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV", "BOUND_INACTIVE" };
        var view = LabViews.View(rows: [.. states.Select(s => LabViews.Row(s))]);

        var cut = Render<KernelPanel>(p => p.Add(c => c.View, view));

        var explanations = cut.FindAll(".explain").Select(e => e.TextContent).ToList();
        Assert.Equal(states.Length, explanations.Count);
        Assert.DoesNotContain("(the server's English line)", explanations); // every one comes from the page's resources
        Assert.Equal(states.Length, explanations.Distinct().Count());
        Assert.StartsWith(listen, explanations[Array.IndexOf(states, "LISTEN")], StringComparison.Ordinal);
        Assert.StartsWith(explained, explanations[Array.IndexOf(states, state)], StringComparison.Ordinal);
    }

    [Fact]
    public void A_state_the_page_does_not_know_keeps_the_servers_line()
    {
        var view = LabViews.View(rows: [LabViews.Row("FUTURE_STATE")]);

        var cut = Render<KernelPanel>(p => p.Add(c => c.View, view));

        Assert.Equal("(the server's English line)", cut.Find(".explain").TextContent);
    }

    [Theory]
    [InlineData("en", "The kernel's view is unavailable")]
    [InlineData("es", "La vista del kernel no está disponible")]
    public void Elsewhere_than_Linux_the_view_says_it_is_unavailable(string culture, string unavailable)
    {
        using var _ = UiCulture.Use(culture);
        var view = new KernelView(Snapshots.Start, "not Linux", [9999], 512, false, [], 0, false);

        var cut = Render<KernelPanel>(p => p.Add(c => c.View, view));

        Assert.StartsWith(unavailable, cut.Find("[data-testid=kernel-unavailable]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("table"));
    }

    [Theory]
    [InlineData("en", "Showing 2 of 900 sockets.", "Waiting for the kernel's view…")]
    [InlineData("es", "Se muestran 2 de 900 sockets.", "Esperando la vista del kernel…")]
    public void A_capped_view_says_how_many_matched_and_no_view_yet_says_so(string culture, string truncated, string waiting)
    {
        using var _ = UiCulture.Use(culture);
        var view = new KernelView(Snapshots.Start, null, [9999], 512, false, [LabViews.Listen(), LabViews.Row("TIME_WAIT")], 900, true);

        var cut = Render<KernelPanel>(p => p.Add(c => c.View, view));
        Assert.Contains(truncated, cut.Markup, StringComparison.Ordinal);

        cut.Render(p => p.Add(c => c.View, null));
        Assert.Equal(waiting, cut.Find("p.muted").TextContent);
    }
}
