using System.Text;
using EchoBridge.Client.Lab;
using EchoBridge.Client.Tests.Fakes;
using EchoBridge.Contracts;

namespace EchoBridge.Client.Tests.Lab;

public class SessionTimelineTests : DashboardTestContext
{
    private static TrafficFrame Frame(long seq, TrafficDirection direction, string text, double seconds) =>
        new(seq, direction, Encoding.UTF8.GetBytes(text), Snapshots.Start.AddSeconds(7 + seconds));

    // A frame whose recorded bytes are cut (the server keeps 128 of each chunk) but whose size is the real one.
    private static TrafficFrame Big(long seq, TrafficDirection direction, int size, double seconds) =>
        new(seq, direction, new byte[128], Snapshots.Start.AddSeconds(7 + seconds), Truncated: true, Size: size);

    private static SessionSummary Closed(string reason) =>
        Snapshots.Session(7) with { ClosedAt = Snapshots.Start.AddSeconds(12), CloseReason = reason };

    private IRenderedComponent<SessionTimeline> RenderPicked(params SessionSummary[] sessions)
    {
        var cut = Render<SessionTimeline>(p => p.Add(c => c.Sessions, sessions));
        cut.Find("select").Change("7");
        return cut;
    }

    private static List<string[]> Steps(IRenderedComponent<SessionTimeline> cut) =>
        [.. cut.FindAll(".lab-steps tbody tr").Select(tr => tr.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray())];

    [Theory]
    [InlineData("en", "accept(): a new connection from 127.0.0.1:40000 (tcp)", "The server read 6 bytes", "The server wrote 6 bytes back",
        "The lesson's client gets it with one recv(1024).", "The client sent the quit line")]
    [InlineData("es", "accept(): una conexión nueva desde 127.0.0.1:40000 (tcp)", "El servidor leyó 6 bytes", "El servidor devolvió 6 bytes",
        "El cliente de la lección lo recibe con un recv(1024).", "El cliente envió la línea quit")]
    public void Each_step_is_shown_beside_the_lessons_line_of_python(
        string culture, string accepted, string read, string wrote, string oneRecv, string quit)
    {
        using var _ = UiCulture.Use(culture);
        var cut = RenderPicked(Snapshots.Session(7), Snapshots.Session(8));
        Hub.Inspect(7).TryWrite(Frame(1, TrafficDirection.In, "hola\r\n", 1));
        Hub.Inspect(7).TryWrite(Frame(2, TrafficDirection.Out, "hola\r\n", 1.002));
        Hub.Inspect(7).TryWrite(Frame(3, TrafficDirection.In, "quit\r\n", 2.5));

        cut.WaitForAssertion(() =>
        {
            var steps = Steps(cut);
            Assert.Equal(5, steps.Count);
            Assert.Equal([accepted, "conn, addr = s.accept()"], new[] { steps[0][1], steps[0][2] });
            Assert.Equal(culture == "es" ? "+0,000 s" : "+0.000 s", steps[0][0]);
            Assert.Equal([read, "data = conn.recv(1024)"], new[] { steps[1][1], steps[1][2] });
            Assert.Equal(culture == "es" ? "+1,000 s" : "+1.000 s", steps[1][0]);
            Assert.StartsWith(wrote, steps[2][1], StringComparison.Ordinal);
            Assert.EndsWith(oneRecv, steps[2][1], StringComparison.Ordinal);
            Assert.Equal("conn.send(data)", steps[2][2]);
            Assert.StartsWith(quit, steps[4][1], StringComparison.Ordinal);
            Assert.Equal("if data.strip() == b\"quit\":", steps[4][2]);
        }, Wait);
        Assert.Equal(["", "7", "8"], cut.FindAll("option").Select(o => o.GetAttribute("value")));
    }

    [Theory]
    [InlineData("en", "The lesson's client needs 3 recv(1024) calls to get it all.", "The server read all 3000 bytes at once; the lesson's server, with recv(1024), would need 3 calls.")]
    [InlineData("es", "El cliente de la lección necesita 3 llamadas a recv(1024) para recibirlo todo.", "El servidor leyó los 3000 bytes de una vez; el servidor de la lección, con recv(1024), necesitaría 3 llamadas.")]
    public void A_3000_byte_write_needs_three_recv_1024_calls_in_the_lessons_client(string culture, string clientNote, string serverNote)
    {
        using var _ = UiCulture.Use(culture);
        var cut = RenderPicked(Snapshots.Session(7));
        Hub.Inspect(7).TryWrite(Big(1, TrafficDirection.In, 3000, 1));
        Hub.Inspect(7).TryWrite(Big(2, TrafficDirection.Out, 3000, 1.001));

        cut.WaitForAssertion(() =>
        {
            var notes = cut.FindAll(".lab-steps .explain").Select(e => e.TextContent).ToList();
            Assert.Equal([serverNote, clientNote], notes);
            Assert.Contains("3000", Steps(cut)[2][1], StringComparison.Ordinal);
        }, Wait);
    }

    [Theory]
    [InlineData("en", "closed by client", "the client closed its socket", "the client", "s.close()")]
    [InlineData("es", "closed by client", "el cliente cerró su socket", "el cliente", "s.close()")]
    [InlineData("en", "quit", "the client sent quit", "the client", "s.close()")]
    [InlineData("es", "connection reset", "la conexión se reinició (reset)", "el cliente", "s.close()")]
    [InlineData("en", "idle timeout", "idle for too long", "the server", "conn.close()")]
    [InlineData("es", "idle timeout", "demasiado tiempo inactiva", "el servidor", "conn.close()")]
    [InlineData("en", "stalled: the echo was not read", "the client stopped reading its echo", "the server", "conn.close()")]
    [InlineData("en", "server shutdown", "the server is shutting down", "the server", "conn.close()")]
    [InlineData("es", "disconnected by an operator", "desconectada desde el panel", "el servidor", "conn.close()")]
    [InlineData("en", "something new", "something new", "not known", "conn.close()")]
    public void The_close_says_why_and_who_closed_first(string culture, string reason, string words, string who, string code)
    {
        using var _ = UiCulture.Use(culture);
        var cut = RenderPicked(Closed(reason));
        Hub.Inspect(7).TryComplete();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(words, cut.Find("[data-testid=close-reason]").TextContent);
            Assert.Equal(who, cut.Find("[data-testid=closed-by]").TextContent);
            var last = Steps(cut)[^1];
            Assert.Equal(["+5" + (culture == "es" ? "," : ".") + "000 s", "close(): " + words, code], last);
        }, Wait);
    }

    [Fact]
    public void The_summary_follows_the_snapshots_until_the_session_closes()
    {
        var cut = RenderPicked(Snapshots.Session(7));
        Assert.Empty(cut.FindAll("[data-testid=close-reason]"));
        Assert.Contains("127.0.0.1:40000", cut.Find("[data-testid=timeline-summary]").TextContent, StringComparison.Ordinal);

        cut.Render(p => p.Add(c => c.Sessions, [Closed("quit")]));

        Assert.Equal("the client sent quit", cut.Find("[data-testid=close-reason]").TextContent);
    }

    [Theory]
    [InlineData("en", "accept() on 127.0.0.1:9999: a new connection from 127.0.0.1:40000 (tcp)", "On")]
    [InlineData("es", "accept() en 127.0.0.1:9999: una conexión nueva desde 127.0.0.1:40000 (tcp)", "En")]
    public void The_accept_names_the_endpoint_the_client_reached(string culture, string accepted, string on)
    {
        using var _ = UiCulture.Use(culture);

        var cut = RenderPicked(Snapshots.Session(7) with { Local = "127.0.0.1:9999" });

        Assert.Equal(accepted, Steps(cut)[0][1]);
        Assert.Equal("127.0.0.1:9999", cut.Find("[data-testid=timeline-endpoint]").TextContent);
        Assert.Equal(on, cut.Find("[data-testid=timeline-endpoint]").ParentElement!.QuerySelector("dt")!.TextContent);
    }

    // A session that said hola and quit, as the server's JSON Lines export has it.
    private const string Capture = """
        {"type":"session","id":"7","kind":"tcp","description":"TCP","client":"127.0.0.1:40000","server":"127.0.0.1:9999","startedAt":"2026-11-24T10:00:07+00:00"}
        {"type":"chunk","seq":1,"at":"2026-11-24T10:00:08+00:00","ms":1000,"dir":"in","length":6,"data":"aG9sYQ0K","text":"hola\r\n"}
        {"type":"chunk","seq":2,"at":"2026-11-24T10:00:08.5+00:00","ms":1500,"dir":"out","length":6,"data":"aG9sYQ0K","text":"hola\r\n"}
        {"type":"chunk","seq":3,"at":"2026-11-24T10:00:10+00:00","ms":3000,"dir":"in","length":6,"data":"cXVpdA0K","text":"quit\r\n"}
        {"type":"closed","at":"2026-11-24T10:00:10+00:00","ms":3000,"reason":"quit"}
        """;

    [Theory]
    [InlineData("en", "from the session's capture (it has ended)")]
    [InlineData("es", "de la captura de la sesión (ya terminó)")]
    public void A_closed_session_is_read_from_its_capture(string culture, string status)
    {
        using var _ = UiCulture.Use(culture);
        Hub.Captures["7"] = EchoBridge.Client.Replay.CaptureTranscript.Parse(Capture);

        var cut = RenderPicked(Closed("quit"));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(status, cut.Find("[role=status]").TextContent);
            Assert.Equal(
                ["conn, addr = s.accept()", "data = conn.recv(1024)", "conn.send(data)", "data = conn.recv(1024)", "if data.strip() == b\"quit\":", "s.close()"],
                Steps(cut).Select(s => s[2]));
        }, Wait);
    }

    [Fact]
    public void A_session_that_closed_as_it_was_picked_falls_back_to_its_capture()
    {
        Hub.Captures["7"] = EchoBridge.Client.Replay.CaptureTranscript.Parse(Capture);
        var cut = RenderPicked(Snapshots.Session(7));

        Hub.Inspect(7).TryComplete(new Microsoft.AspNetCore.SignalR.HubException("Unknown listener session 7."));

        cut.WaitForAssertion(() => Assert.Equal(5, Steps(cut).Count), Wait);
        Assert.Equal("from the session's capture (it has ended)", cut.Find("[role=status]").TextContent);
    }

    [Fact]
    public void A_udp_peer_shows_recvfrom_and_sendto_and_no_accept()
    {
        var udp = Snapshots.Session(7, SessionKind.Udp);
        var cut = RenderPicked(udp);
        Hub.Inspect(7).TryWrite(Frame(1, TrafficDirection.In, "hola", 0));
        Hub.Inspect(7).TryWrite(Frame(2, TrafficDirection.Out, "hola", 0.001));

        cut.WaitForAssertion(() =>
        {
            var steps = Steps(cut);
            Assert.Equal(3, steps.Count);
            Assert.StartsWith("The first datagram from 127.0.0.1:40000", steps[0][1], StringComparison.Ordinal);
            Assert.Equal(["data, addr = s.recvfrom(1024)", "data, addr = s.recvfrom(1024)", "s.sendto(data, addr)"], steps.Select(s => s[2]));
        }, Wait);
    }

    [Theory]
    [InlineData("en", "250 earlier reads and writes are no longer kept")]
    [InlineData("es", "250 lecturas y escrituras anteriores ya no se guardan")]
    public void The_timeline_is_bounded_and_says_how_many_steps_it_dropped(string culture, string skipped)
    {
        using var _ = UiCulture.Use(culture);
        var cut = RenderPicked(Snapshots.Session(7));
        // The server's ring starts at chunk 51 (it keeps only the last ones); then 400 more arrive live.
        for (var seq = 51; seq <= 450; seq++)
        {
            Hub.Inspect(7).TryWrite(Frame(seq, TrafficDirection.In, "x", seq / 1000.0));
        }

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(SessionTimeline.MaxSteps + 1, Steps(cut).Count); // the accept, then the last 200
            Assert.StartsWith(skipped, cut.Find("p.muted").TextContent, StringComparison.Ordinal);
        }, Wait);
    }

    [Fact]
    public void Picking_another_session_switches_the_stream_and_none_shows_the_hint()
    {
        var cut = RenderPicked(Snapshots.Session(7), Snapshots.Session(8));
        Hub.Inspect(7).TryWrite(Frame(1, TrafficDirection.In, "seven", 0));
        cut.WaitForAssertion(() => Assert.Equal(2, Steps(cut).Count), Wait);

        cut.Find("select").Change("8");
        Hub.Inspect(8).TryWrite(Frame(1, TrafficDirection.In, "eight!!", 0));
        Hub.Inspect(8).TryWrite(Frame(2, TrafficDirection.Out, "eight!!", 0));
        cut.WaitForAssertion(() => Assert.Equal("The server read 7 bytes", Steps(cut)[1][1]), Wait);

        cut.Find("select").Change("");
        cut.WaitForAssertion(() =>
        {
            Assert.Empty(cut.FindAll(".lab-steps"));
            Assert.StartsWith("Pick a session", cut.Find("p.muted").TextContent, StringComparison.Ordinal);
        }, Wait);
    }
}
