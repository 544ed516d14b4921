using EchoBridge.Client.Lab;
using EchoBridge.Client.Tests.Fakes;

namespace EchoBridge.Client.Tests.Lab;

public class LessonCodeTests : DashboardTestContext
{
    [Theory]
    [InlineData("en", "The lesson's client (Python)", "The same client in JavaScript (Node)", "save as cliente.py, run:", "Copy")]
    [InlineData("es", "El cliente de la lección (Python)", "El mismo cliente en JavaScript (Node)", "guárdalo como cliente.py y ejecuta:", "Copiar")]
    public void The_four_programs_carry_this_servers_host_and_port(string culture, string pythonTitle, string nodeTitle, string save, string copy)
    {
        using var _ = UiCulture.Use(culture);

        var cut = Render<LessonCode>(p => p.Add(c => c.Host, "lab.example").Add(c => c.Port, 19999));

        var python = cut.Find("[data-testid=snippet-python-client]");
        Assert.Contains(pythonTitle, python.TextContent, StringComparison.Ordinal);
        Assert.Contains(save, python.TextContent, StringComparison.Ordinal);
        Assert.Equal("python3 cliente.py", python.QuerySelector("figcaption code")!.TextContent);
        Assert.Equal(copy, python.QuerySelector("button")!.TextContent);
        Assert.Contains("s.connect((\"lab.example\", 19999))", python.QuerySelector("pre")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(nodeTitle, cut.Find("[data-testid=snippet-node-client]").TextContent, StringComparison.Ordinal);
        Assert.Contains("host: \"lab.example\", port: 19999", cut.Find("[data-testid=snippet-node-client] pre").TextContent, StringComparison.Ordinal);
        Assert.Contains("ConnectAsync(\"lab.example\", 19999)", cut.Find("[data-testid=snippet-csharp-client] pre").TextContent, StringComparison.Ordinal);
        var server = cut.Find("[data-testid=snippet-python-server]").TextContent;
        Assert.Contains("s.bind((\"lab.example\", 19999))", server, StringComparison.Ordinal);
        Assert.Contains("s.listen(10)", server, StringComparison.Ordinal);
        Assert.Contains("20000", server, StringComparison.Ordinal); // the note's other port
    }

    [Fact]
    public void The_timelines_lines_are_the_servers_own_lines()
    {
        var server = LessonSnippets.For("localhost", 9999).Single(s => s.Id == "python-server").Code;
        foreach (var line in new[] { LessonSnippets.Accept, LessonSnippets.Recv, LessonSnippets.Send, LessonSnippets.Quit, LessonSnippets.Goodbye, LessonSnippets.ServerClose })
        {
            Assert.Contains(line, server, StringComparison.Ordinal);
        }

        var client = LessonSnippets.For("localhost", 9999).Single(s => s.Id == "python-client").Code;
        Assert.Contains(LessonSnippets.ClientRecv, client, StringComparison.Ordinal);
        Assert.Contains(LessonSnippets.ClientClose, client, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ipv6_host_gets_an_ipv6_socket_and_a_bare_address()
    {
        var client = LessonSnippets.For("[::1]", 9999).Single(s => s.Id == "python-client").Code;

        Assert.Contains("socket.AF_INET6", client, StringComparison.Ordinal);
        Assert.Contains("s.connect((\"::1\", 9999))", client, StringComparison.Ordinal);
    }

    [Fact]
    public void Copy_puts_the_program_on_the_clipboard()
    {
        var cut = Render<LessonCode>(p => p.Add(c => c.Host, "localhost").Add(c => c.Port, 9999));

        cut.Find("[data-testid=snippet-node-client] button").Click();

        var call = Assert.Single(JSInterop.Invocations, i => i.Identifier == "navigator.clipboard.writeText");
        Assert.Contains("require(\"node:net\")", (string)call.Arguments[0]!, StringComparison.Ordinal);
        Assert.Equal("Copied", cut.Find("[data-testid=snippet-node-client] button").TextContent);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(1024, 1)]
    [InlineData(1025, 2)]
    [InlineData(3000, 3)]
    public void Recv_calls_are_the_bytes_over_1024_rounded_up(long bytes, int calls) =>
        Assert.Equal(calls, LessonSnippets.RecvCalls(bytes));
}
