using EchoBridge.Client.Lab;
using EchoBridge.Client.Tests.Fakes;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Time.Testing;

namespace EchoBridge.Client.Tests.Lab;

public class BacklogExperimentTests : DashboardTestContext
{
    private readonly FakeTimeProvider _time = new(Snapshots.Start);

    private IRenderedComponent<BacklogExperiment> RenderBacklog(bool paused = false, long waiting = 0) =>
        Render<BacklogExperiment>(p => p
            .Add(c => c.View, LabViews.View(paused, backlog: 3, rows: [LabViews.Listen(waiting), LabViews.Row("SYN_RECV")]))
            .Add(c => c.Host, "lab.example")
            .Add(c => c.Port, 9999)
            .Add(c => c.Time, _time));

    [Theory]
    [InlineData("en", "nc lab.example 9999", "up to the backlog (3)", "Accepting: the server calls accept()", "Handshakes the kernel holds back (SYN_SENT, SYN_RECV): 1")]
    [InlineData("es", "nc lab.example 9999", "hasta el backlog (3)", "Aceptando: el servidor llama a accept()", "Handshakes que el kernel retiene (SYN_SENT, SYN_RECV): 1")]
    public void The_steps_say_what_to_do_with_this_servers_command_and_the_kernels_numbers(
        string culture, string command, string upTo, string accepting, string heldBack)
    {
        using var _ = UiCulture.Use(culture);

        var cut = RenderBacklog(waiting: 2);

        var steps = cut.FindAll("ol.steps li");
        Assert.Equal(5, steps.Count);
        Assert.Equal(command, steps[1].QuerySelector("code")!.TextContent);
        Assert.Contains(upTo, steps[2].TextContent, StringComparison.Ordinal);
        Assert.StartsWith(accepting, cut.Find("[data-testid=backlog-state]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("2", cut.Find("[data-testid=accept-count]").TextContent);
        Assert.Equal(heldBack, cut.Find("[data-testid=held-back]").TextContent);
        Assert.Equal("20", cut.Find("input[type=number]").GetAttribute("value"));
        Assert.True(cut.Find("[data-testid=resume-accepting]").HasAttribute("disabled"));
    }

    [Theory]
    [InlineData("en", "Paused: the server is not calling accept().", "It resumes by itself in 20 s.", "It resumes by itself in 15 s.")]
    [InlineData("es", "En pausa: el servidor no llama a accept().", "Se reanuda solo en 20 s.", "Se reanuda solo en 15 s.")]
    public void Pause_asks_for_the_chosen_seconds_and_counts_down_until_Resume(string culture, string paused, string at20, string at15)
    {
        using var _ = UiCulture.Use(culture);
        var cut = RenderBacklog();

        cut.Find("[data-testid=pause-accepting]").Click();

        Assert.Equal([20], Hub.AcceptPauses);
        cut.WaitForAssertion(() =>
        {
            Assert.StartsWith(paused, cut.Find("[data-testid=backlog-state]").TextContent.Trim(), StringComparison.Ordinal);
            Assert.Equal(at20, cut.Find("[data-testid=countdown]").TextContent.Trim());
        }, Wait);

        _time.Advance(TimeSpan.FromSeconds(5));
        cut.WaitForAssertion(() => Assert.Equal(at15, cut.Find("[data-testid=countdown]").TextContent.Trim()), Wait);

        cut.Find("[data-testid=resume-accepting]").Click();
        Assert.Equal([20, 0], Hub.AcceptPauses);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=countdown]")), Wait);
    }

    [Fact]
    public void An_ipv6_page_host_is_given_to_nc_bare()
    {
        var cut = Render<BacklogExperiment>(p => p.Add(c => c.Host, "[::1]").Add(c => c.Port, 9999));

        Assert.Equal("nc ::1 9999", cut.Find("ol.steps code").TextContent);
    }

    [Fact]
    public void The_chosen_seconds_are_sent_and_a_value_out_of_range_is_refused_without_a_call()
    {
        var cut = RenderBacklog();

        cut.Find("input[type=number]").Input("5");
        cut.Find("[data-testid=pause-accepting]").Click();
        Assert.Equal([5], Hub.AcceptPauses);

        cut.Find("input[type=number]").Input("90");
        cut.Find("[data-testid=pause-accepting]").Click();
        Assert.Equal([5], Hub.AcceptPauses);
        Assert.Equal("A pause lasts 1 to 60 seconds.", cut.Find("[role=alert]").TextContent);
    }

    [Fact]
    public void The_servers_view_says_when_it_resumed_by_itself()
    {
        var cut = RenderBacklog();
        cut.Find("[data-testid=pause-accepting]").Click();
        cut.Render(p => p.Add(c => c.View, LabViews.View(paused: true, rows: [LabViews.Listen(3)])));
        Assert.Equal("3", cut.Find("[data-testid=accept-count]").TextContent);

        // A view read just before the pause took effect does not end the countdown; one a second later does.
        cut.Render(p => p.Add(c => c.View, LabViews.View(paused: false)));
        Assert.NotEmpty(cut.FindAll("[data-testid=countdown]"));
        _time.Advance(TimeSpan.FromSeconds(20));
        cut.Render(p => p.Add(c => c.View, LabViews.View(paused: false)));
        Assert.Empty(cut.FindAll("[data-testid=countdown]"));
        Assert.StartsWith("Accepting", cut.Find("[data-testid=backlog-state]").TextContent.Trim(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "That did not work: ")]
    [InlineData("es", "No funcionó: ")]
    public void A_refused_pause_is_shown_in_plain_words(string culture, string prefix)
    {
        using var _ = UiCulture.Use(culture);
        Hub.PauseError = new HubException("A pause lasts 1 to 60 seconds, not 0.");
        var cut = RenderBacklog();

        cut.Find("[data-testid=pause-accepting]").Click();

        cut.WaitForAssertion(() => Assert.StartsWith(prefix, cut.Find("[role=alert]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(cut.FindAll("[data-testid=countdown]"));
    }
}
