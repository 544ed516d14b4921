using EchoBridge.Client.Lab;
using EchoBridge.Client.Tests.Fakes;
using EchoBridge.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace EchoBridge.Client.Tests.Lab;

public class ExperimentsTests : DashboardTestContext
{
    [Theory]
    [InlineData("en", "Port 40123: 1 connection(s) in TIME_WAIT", "OSError: [Errno 98] Address already in use", "bind() succeeded")]
    [InlineData("es", "Puerto 40123: 1 conexión(es) en TIME_WAIT", "OSError: [Errno 98] Address already in use (la dirección ya está en uso)", "bind() funcionó")]
    public void SO_REUSEADDR_shows_the_refusal_and_the_success_side_by_side(string culture, string timeWait, string refused, string ok)
    {
        using var _ = UiCulture.Use(culture);
        var cut = Render<ReuseAddressExperiment>();

        cut.Find("[data-testid=run-reuse-address]").Click();

        cut.WaitForAssertion(() =>
        {
            Assert.StartsWith(timeWait, cut.Find("[data-testid=reuse-time-wait]").TextContent, StringComparison.Ordinal);
            var without = cut.Find("[data-testid=reuse-without]");
            Assert.Contains("refused", without.ClassList);
            Assert.Equal(refused, without.QuerySelector("strong")!.TextContent);
            Assert.Contains("s.bind((\"127.0.0.1\", 40123))", without.TextContent, StringComparison.Ordinal);
            var with = cut.Find("[data-testid=reuse-with]");
            Assert.Contains("ok", with.ClassList);
            Assert.Equal(ok, with.QuerySelector("strong")!.TextContent);
            Assert.Contains("SO_REUSEADDR, 1)", with.TextContent, StringComparison.Ordinal);
        }, Wait);
        Assert.Equal(["RunReuseAddressAsync"], Hub.ExperimentRuns);
    }

    [Theory]
    [InlineData("en", "Sent: 3 sends of 5 + 8 + 6 bytes.", "The server read it in 1 read(s): 19 bytes.", "The server received 3 datagram(s): 5 + 8 + 6 bytes.", "A stream keeps no message boundaries")]
    [InlineData("es", "Enviado: 3 envíos de 5 + 8 + 6 bytes.", "El servidor lo leyó en 1 lectura(s): 19 bytes.", "El servidor recibió 3 datagrama(s): 5 + 8 + 6 bytes.", "Un stream no guarda los límites")]
    public void Stream_versus_datagram_shows_the_reads_and_the_datagrams(string culture, string sent, string tcp, string udp, string merged)
    {
        using var _ = UiCulture.Use(culture);
        var cut = Render<StreamDatagramExperiment>();

        cut.Find("[data-testid=run-stream-datagram]").Click();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(sent, cut.Find("[data-testid=sent]").TextContent);
            Assert.Equal(tcp, cut.Find("[data-testid=tcp-reads] strong").TextContent);
            Assert.StartsWith(merged, cut.Find("[data-testid=tcp-reads] p.muted").TextContent, StringComparison.Ordinal);
            Assert.Equal(udp, cut.Find("[data-testid=udp-datagrams] strong").TextContent);
        }, Wait);
    }

    [Fact]
    public void Stream_versus_datagram_says_when_tcp_happened_to_keep_the_sends_apart()
    {
        Hub.StreamDatagram = new StreamDatagramResult([5, 8, 6], [5, 8, 6], [5, 8, 6]);
        var cut = Render<StreamDatagramExperiment>();

        cut.Find("[data-testid=run-stream-datagram]").Click();

        cut.WaitForAssertion(() => Assert.StartsWith("This time each send arrived in its own read", cut.Find("[data-testid=tcp-reads] p.muted").TextContent, StringComparison.Ordinal), Wait);
    }

    [Theory]
    [InlineData("en", "The client sent 14 bytes, then shutdown(SHUT_WR).", "It still read 14 bytes of echo", "The whole echo arrived, then the server closed", "The server's session ended: the client closed its socket.")]
    [InlineData("es", "El cliente envió 14 bytes y luego hizo shutdown(SHUT_WR).", "Aun así leyó 14 bytes de eco", "Llegó todo el eco y después el servidor cerró", "La sesión del servidor terminó: el cliente cerró su socket.")]
    public void Half_close_shows_the_echo_arriving_before_the_close(string culture, string sent, string echoed, string order, string reason)
    {
        using var _ = UiCulture.Use(culture);
        var cut = Render<HalfCloseExperiment>();

        cut.Find("[data-testid=run-half-close]").Click();

        cut.WaitForAssertion(() =>
        {
            var steps = cut.FindAll("[data-testid=half-close-result] li").Select(li => li.TextContent).ToList();
            Assert.Equal(4, steps.Count);
            Assert.Equal(sent, steps[0]);
            Assert.StartsWith(echoed, steps[1], StringComparison.Ordinal);
            Assert.StartsWith(order, steps[2], StringComparison.Ordinal);
            Assert.Equal(reason, steps[3]);
        }, Wait);
    }

    [Theory]
    [InlineData("en", "Running…", "The experiment did not run: The SO_REUSEADDR experiment is already running; try again in a moment.")]
    [InlineData("es", "Ejecutando…", "El experimento no se ejecutó: The SO_REUSEADDR experiment is already running; try again in a moment.")]
    public void A_run_disables_its_button_and_a_refusal_is_shown_in_plain_words(string culture, string running, string failed)
    {
        using var _ = UiCulture.Use(culture);
        Hub.ExperimentGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Hub.ExperimentError = new HubException("The SO_REUSEADDR experiment is already running; try again in a moment.");
        var cut = Render<ReuseAddressExperiment>();

        cut.Find("[data-testid=run-reuse-address]").Click();
        var button = cut.Find("[data-testid=run-reuse-address]");
        Assert.True(button.HasAttribute("disabled"));
        Assert.Equal(running, button.TextContent);

        Hub.ExperimentGate.SetResult();
        cut.WaitForAssertion(() => Assert.Equal(failed, cut.Find("[role=alert]").TextContent), Wait);
        Assert.False(cut.Find("[data-testid=run-reuse-address]").HasAttribute("disabled"));
        Assert.Empty(cut.FindAll("[data-testid=reuse-result]"));
    }
}
