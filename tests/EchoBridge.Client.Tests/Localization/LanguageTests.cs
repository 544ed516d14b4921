using System.Globalization;
using EchoBridge.Client.Console;
using EchoBridge.Client.Dashboard;
using EchoBridge.Client.Inspector;
using EchoBridge.Client.Localization;
using EchoBridge.Client.Replay;
using EchoBridge.Client.Sessions;
using EchoBridge.Client.Tests.Fakes;
using EchoBridge.Contracts;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace EchoBridge.Client.Tests.Localization;

/// <summary>The dashboard's components in English and in Spanish: words from the resources, numbers in the culture.</summary>
public class LanguageTests : DashboardTestContext
{
    private static readonly SessionSummary[] Sessions =
    [
        Snapshots.Session(1, SessionKind.Tcp, "127.0.0.1:40001", bytesIn: 1536),
        Snapshots.Session(4, SessionKind.Tcp, "127.0.0.1:40004", bridge: "b7") with { BridgeClient = "203.0.113.7" },
    ];

    [Theory]
    [InlineData("en", "connected", "listening", "1.5 k", "Messages/s in", "peak 1.5 k", "3 m 05 s")]
    [InlineData("es", "conectado", "escuchando", "1,5 k", "Mensajes/s de entrada", "pico 1,5 k", "3 m 05 s")]
    public void The_status_live_numbers_and_chart_speak_the_culture(
        string culture, string connected, string listening, string rate, string rateLabel, string peak, string uptime)
    {
        TestCulture.Use(culture);
        var cut = Render<DashboardPage>();
        Hub.Snapshots.Writer.TryWrite(Snapshots.Snapshot(messagesIn: 1500, at: TimeSpan.FromSeconds(185)));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(connected, cut.Find("[data-testid=hub-state]").TextContent);
            Assert.Equal(uptime, cut.Find("[data-testid=uptime]").TextContent);
            Assert.Contains(listening, cut.Find(".endpoints li").TextContent, StringComparison.Ordinal);
            Assert.Equal(rate, cut.Find("[data-testid=messages-in]").TextContent);
            Assert.Contains(cut.FindAll(".numbers dt"), dt => dt.TextContent == rateLabel);
            Assert.Contains(peak, cut.Find("figure.chart figcaption").TextContent, StringComparison.Ordinal);
        }, Wait);
    }

    [Theory]
    [InlineData("en", new[] { "Live", "Connect from a terminal", "Sessions", "Console", "Inspector", "Replay" }, "Bridge sessions", "+ Another console")]
    [InlineData("es", new[] { "En vivo", "Conectarse desde una terminal", "Sesiones", "Consola", "Inspector", "Reproducción" }, "Sesiones del puente", "+ Otra consola")]
    public void Every_heading_of_the_page_is_in_the_culture(string culture, string[] headings, string bridges, string another)
    {
        TestCulture.Use(culture);
        var cut = Render<DashboardPage>();

        Assert.Equal(headings, cut.FindAll("main h2").Select(h => h.TextContent));
        Assert.Equal(bridges, cut.Find("#bridges-title").TextContent);
        Assert.Equal(another, cut.Find("button.add-console").TextContent);
    }

    [Fact]
    public void The_sessions_table_in_Spanish_translates_words_and_keeps_protocol_words()
    {
        TestCulture.Use("es");
        var cut = Render<SessionsTable>(p => p
            .Add(c => c.Sessions, Sessions)
            .Add(c => c.Active, Sessions.Length)
            .Add(c => c.Now, Snapshots.Start.AddMinutes(1)));

        Assert.Equal(["Id ▲", "Tipo", "Remoto", "Conectada", "Bytes de entrada", "Bytes de salida", "Última actividad", "Acciones"],
            cut.FindAll("thead th").Select(th => th.TextContent.Trim()));
        Assert.Equal("2 mostradas · 2 activas", cut.Find("[data-testid=session-count]").TextContent);
        var tcp = cut.Find("tr[data-session-id='1']");
        Assert.Equal("tcp", tcp.QuerySelector(".kind")!.TextContent);
        Assert.Equal("hace 59 s", tcp.Children[3].TextContent);
        Assert.Equal("1,5 KB", tcp.Children[4].TextContent);
        Assert.Equal(Snapshots.Start.AddSeconds(1).ToLocalTime().ToString("G", CultureInfo.GetCultureInfo("es")), tcp.Children[3].GetAttribute("title"));
        Assert.Equal("Inspeccionar", tcp.QuerySelector("button[aria-label='Inspeccionar la sesión 1']")!.TextContent);
        var bridged = cut.Find("tr[data-session-id='4']");
        Assert.Equal("puenteada", bridged.QuerySelector(".kind")!.TextContent);
        Assert.Contains("⇄ vía puente desde 203.0.113.7", bridged.TextContent, StringComparison.Ordinal);

        cut.Find("button[aria-label='Desconectar la sesión 1']").Click();
        Assert.Equal("¿Desconectar la sesión 1 (tcp 127.0.0.1:40001)?", cut.Find("#confirm-text").TextContent);
        Hub.DisconnectError = new TimeoutException();
        cut.Find(".confirm button.danger").Click();
        cut.WaitForAssertion(() => Assert.Equal(
            "No se pudo desconectar la sesión 1: El servidor no respondió a tiempo.", cut.Find("[role=alert]").TextContent), Wait);
    }

    [Fact]
    public void The_empty_tables_say_so_in_Spanish()
    {
        TestCulture.Use("es");
        var sessions = Render<SessionsTable>(p => p.Add(c => c.Now, Snapshots.Start));
        var bridges = Render<BridgesTable>(p => p.Add(c => c.Now, Snapshots.Start));

        Assert.Equal("Aún no hay sesiones: conéctate con telnet, nc o la consola.", sessions.Find("tbody td").TextContent);
        Assert.Equal("Aún no hay sesiones del puente: abre una desde la consola o con un cliente WebSocket.", bridges.Find("tbody td").TextContent);
        Assert.Equal(["Id", "Destino", "Vía", "Puente → destino", "Bytes de entrada", "Bytes de salida", "Última actividad", "Acciones"],
            bridges.FindAll("thead th").Select(th => th.TextContent));
    }

    [Theory]
    [InlineData("en", "Connect", "Connected to echo (127.0.0.1:9999).", "'z' is not a hex digit.", "Send")]
    [InlineData("es", "Conectar", "Conectado a echo (127.0.0.1:9999).", "'z' no es un dígito hexadecimal.", "Enviar")]
    public void The_console_speaks_the_culture_and_its_hex_stays_hex(string culture, string connect, string connected, string badHex, string send)
    {
        TestCulture.Use(culture);
        var cut = Render<ConsolePanel>(p => p.Add(c => c.Number, 1).Add(c => c.Targets, Hub.Targets));

        Assert.Equal(connect, cut.Find("button.primary").TextContent);
        cut.Find("button.primary").Click();
        cut.WaitForAssertion(() => Assert.Equal(connected, cut.Find(".entry.info").TextContent.Trim()), Wait);
        Assert.Equal(send, cut.Find("form.send button[type=submit]").TextContent);

        cut.Find("form.send input[type=checkbox]").Change(true);
        cut.Find("form.send input.mono").Input("zz");
        cut.Find("form.send").Submit();

        Assert.Equal(badHex, cut.Find(".entry.error").TextContent.Trim());
        Assert.Equal("hex", cut.Find("form.send input[type=checkbox]").ParentElement!.TextContent.Trim());
    }

    [Fact]
    public void The_inspector_in_Spanish()
    {
        TestCulture.Use("es");
        var idle = Render<InspectorPanel>();
        Assert.Equal("Pulsa el botón Inspeccionar de una sesión para ver aquí su tráfico.", idle.Find("p.muted").TextContent);
        Assert.Equal("Inspeccionar", idle.Find("p.muted em").TextContent);

        var cut = Render<InspectorPanel>(p => p.Add(c => c.SessionId, 7L));
        Hub.Inspect(7).TryWrite(new TrafficFrame(1, TrafficDirection.In, "hola"u8.ToArray(), Snapshots.Start));
        cut.WaitForAssertion(() =>
        {
            Assert.Contains("→ entrada", cut.Find(".frame .dir").TextContent, StringComparison.Ordinal);
            Assert.Equal("Pausar", cut.Find("button[aria-pressed]").TextContent);
            Assert.Equal("observando… · 1 recibidos", cut.Find("[role=status]").TextContent);
        }, Wait);
    }

    [Fact]
    public void The_replay_in_Spanish_writes_seconds_with_a_decimal_comma()
    {
        TestCulture.Use("es");
        Hub.Captures["7"] = CaptureTranscript.Parse("""
            {"type":"session","id":"7","kind":"tcp","description":"TCP 127.0.0.1:50123 -> 127.0.0.1:9999","client":"127.0.0.1:50123","server":"127.0.0.1:9999","startedAt":"2026-12-03T10:00:00+00:00"}
            {"type":"chunk","seq":1,"at":"2026-12-03T10:00:01+00:00","ms":1000,"dir":"in","length":4,"data":"aG9sYQ==","text":"hola"}
            {"type":"closed","at":"2026-12-03T10:00:01.5+00:00","ms":1500,"reason":"quit"}
            """);
        var cut = Render<ReplayPanel>(p => p.Add(c => c.SessionId, "7"));
        cut.WaitForAssertion(() => Assert.Equal("Reproducir", cut.Find("[data-testid=replay] button").TextContent), Wait);

        cut.Find("input[type=range]").Input("1500");

        Assert.Equal("1,500s / 1,500s", cut.Find("[data-testid=replay-position]").TextContent);
        Assert.Contains("+1,000s", cut.Find("ol.replay li").TextContent, StringComparison.Ordinal);
        Assert.Contains("→ entrada 4 B", cut.Find("ol.replay li").TextContent, StringComparison.Ordinal);
        Assert.Equal("+1,500s cerrada (quit)", cut.Find("[data-testid=replay-closed]").TextContent);
        Assert.Equal("Sesión 7", cut.Find("[data-testid=replay] > span").TextContent.Split(" · ")[0]);
    }

    [Fact]
    public void The_connect_commands_in_Spanish_keep_the_commands_as_typed()
    {
        TestCulture.Use("es");
        var cut = Render<EchoBridge.Client.Connect.ConnectCommands>(p => p
            .Add(c => c.Endpoints, Snapshots.Snapshot().Endpoints)
            .Add(c => c.PageHost, "localhost"));

        Assert.Contains("telnet localhost 9999", cut.Markup, StringComparison.Ordinal);
        Assert.Contains(cut.FindAll(".commands .label"), l => l.TextContent == "nc (socket Unix, en la máquina del servidor)");
        var copy = cut.Find("button[aria-label='Copiar el comando telnet']");
        Assert.Equal("Copiar", copy.TextContent);
        copy.Click();
        Assert.Equal("Copiado", cut.Find("button[aria-label='Copiar el comando telnet']").TextContent);
    }

    [Theory]
    [InlineData("en", "en")]
    [InlineData("es", "es")]
    public void The_language_switch_links_to_the_culture_endpoint_and_marks_the_current_language(string culture, string current)
    {
        TestCulture.Use(culture);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/?access_token=x");
        var cut = Render<LanguageSwitch>();

        var links = cut.FindAll("a");
        Assert.Equal(["EN", "ES"], links.Select(a => a.TextContent));
        Assert.Equal("culture/set?culture=es&redirectUri=%2F%3Faccess_token%3Dx", cut.Find("[data-testid=language-es]").GetAttribute("href"));
        Assert.Equal("false", cut.Find("[data-testid=language-es]").GetAttribute("data-enhance-nav"));
        Assert.Equal(["Español"], cut.FindAll("a[lang=es]").Select(a => a.GetAttribute("aria-label")));
        Assert.Equal([current], cut.FindAll("a[aria-current=true]").Select(a => a.GetAttribute("lang")));
        Assert.Equal(culture == "es" ? "Idioma" : "Language", cut.Find("nav").GetAttribute("aria-label"));
    }

    [Theory]
    [InlineData("es", "es")]
    [InlineData("es-MX", "es")]
    [InlineData("EN-gb", "en")]
    [InlineData("fr", null)]
    [InlineData("", null)]
    [InlineData("not a culture", null)]
    public void A_culture_name_maps_to_a_supported_language_or_none(string name, string? language) =>
        Assert.Equal(language, Languages.Find(name));
}
