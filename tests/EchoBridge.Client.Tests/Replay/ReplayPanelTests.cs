using System.Text;
using EchoBridge.Client.Replay;
using EchoBridge.Client.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace EchoBridge.Client.Tests.Replay;

public class ReplayPanelTests : DashboardTestContext
{
    // A session that said hola at 1 s, got it back at 1.5 s, quit at 3 s, Goodbye at 3.2 s, closed at 3.2 s.
    private const string Jsonl = """
        {"type":"session","id":"7","kind":"tcp","description":"TCP 127.0.0.1:50123 -> 127.0.0.1:9999","client":"127.0.0.1:50123","server":"127.0.0.1:9999","startedAt":"2026-12-03T10:00:00+00:00","closedAt":"2026-12-03T10:00:03.2+00:00","closeReason":"quit"}
        {"type":"chunk","seq":1,"at":"2026-12-03T10:00:01+00:00","ms":1000,"dir":"in","length":6,"data":"aG9sYQ0K","text":"hola\r\n"}
        {"type":"chunk","seq":2,"at":"2026-12-03T10:00:01.5+00:00","ms":1500,"dir":"out","length":6,"data":"aG9sYQ0K","text":"hola\r\n"}
        {"type":"chunk","seq":3,"at":"2026-12-03T10:00:03+00:00","ms":3000,"dir":"in","length":6,"data":"cXVpdA0K","text":"quit\r\n"}
        {"type":"chunk","seq":4,"at":"2026-12-03T10:00:03.2+00:00","ms":3200,"dir":"out","length":10,"data":"R29vZGJ5ZS4NCg==","text":"Goodbye.\r\n"}
        {"type":"closed","at":"2026-12-03T10:00:03.2+00:00","ms":3200,"reason":"quit"}
        """;

    private readonly FakeTimeProvider _time = new();

    private IRenderedComponent<ReplayPanel> RenderReplay(string id = "7")
    {
        Hub.Captures["7"] = CaptureTranscript.Parse(Jsonl);
        return Render<ReplayPanel>(p => p.Add(c => c.SessionId, id).Add(c => c.Time, _time));
    }

    [Fact]
    public void The_transcript_is_read_from_the_servers_json_lines()
    {
        var transcript = CaptureTranscript.Parse(Jsonl);
        Assert.Equal(("7", 4, 3200.0, "quit"), (transcript.Id, transcript.Chunks.Count, transcript.DurationMs, transcript.CloseReason));
        Assert.Equal("Goodbye.\r\n", Encoding.UTF8.GetString(transcript.Chunks[3].Data));
        Assert.False(transcript.Chunks[3].FromClient);
        Assert.Throws<FormatException>(() => CaptureTranscript.Parse("not json"));
    }

    [Fact]
    public void Dragging_the_timeline_shows_the_chunks_up_to_that_point_with_time_and_direction()
    {
        var cut = RenderReplay();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("ol.replay li")), Wait);

        cut.Find("input[type=range]").Input("1600");
        var chunks = cut.FindAll("ol.replay li");
        Assert.Equal(2, chunks.Count);
        Assert.Contains("+1.000s", chunks[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("→ in", chunks[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("← out", chunks[1].TextContent, StringComparison.Ordinal);
        Assert.Equal("hola␍↵", chunks[1].QuerySelector("pre")!.TextContent);

        cut.Find("input[type=range]").Input("3200");
        Assert.Contains("closed (quit)", cut.Find("[data-testid=replay-closed]").TextContent, StringComparison.Ordinal);
        cut.Find("input[type=range]").Input("0");
        Assert.Empty(cut.FindAll("ol.replay li"));
    }

    [Fact]
    public void Play_moves_along_at_the_chosen_speed_and_pause_stops_it()
    {
        var cut = RenderReplay();
        cut.WaitForAssertion(() => cut.Find("[data-testid=replay]"), Wait);
        cut.Find("select").Change("2");
        cut.Find("button[aria-label=Play]").Click();

        for (var i = 0; i < 10; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(50)); // 500 ms of real time at 2× is the session's first second
        }

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("ol.replay li")), Wait);
        cut.Find("button[aria-label=Pause]").Click();
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Single(cut.FindAll("ol.replay li"));
        Assert.Equal("1.000s / 3.200s", cut.Find("[data-testid=replay-position]").TextContent);
    }

    [Fact]
    public void Hex_shows_the_bytes_as_a_hex_dump()
    {
        var cut = RenderReplay();
        cut.WaitForAssertion(() => cut.Find("[data-testid=replay]"), Wait);
        cut.Find("input[type=checkbox]").Change(true);
        cut.Find("input[type=range]").Input("1000");
        Assert.StartsWith("0000  68 6f 6c 61 0d 0a", cut.Find("ol.replay pre").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_session_no_longer_kept_is_said_in_plain_words()
    {
        var cut = RenderReplay("99");
        cut.WaitForAssertion(() => Assert.Contains("Could not load session 99", cut.Find("[role=alert]").TextContent, StringComparison.Ordinal), Wait);
    }
}
