using System.Globalization;

namespace EchoBridge.Client.Lab;

/// <summary>
/// The lesson's code with this server's host and echo port filled in: its Python client and server, and the same
/// client in C# and in JavaScript (Node's <c>net</c>). The lines the session timeline points at are constants here,
/// so the timeline quotes exactly what the learner runs.
/// </summary>
public static class LessonSnippets
{
    /// <summary>One runnable, copyable program.</summary>
    /// <param name="Id">A stable name: <c>python-client</c>, <c>python-server</c>, <c>csharp-client</c>, <c>node-client</c>.</param>
    /// <param name="FileName">The file to save it as.</param>
    /// <param name="Run">The command that runs it.</param>
    /// <param name="Code">The program.</param>
    public sealed record Snippet(string Id, string FileName, string Run, string Code);

    /// <summary>The server's <c>accept()</c> (a new connection).</summary>
    public const string Accept = "conn, addr = s.accept()";

    /// <summary>The server's read.</summary>
    public const string Recv = "data = conn.recv(1024)";

    /// <summary>The server's echo.</summary>
    public const string Send = "conn.send(data)";

    /// <summary>The server's test for the <c>quit</c> line.</summary>
    public const string Quit = "if data.strip() == b\"quit\":";

    /// <summary>The server's farewell after <c>quit</c>.</summary>
    public const string Goodbye = "conn.send(b\"Goodbye.\\r\\n\")";

    /// <summary>The server's close.</summary>
    public const string ServerClose = "conn.close()";

    /// <summary>The client's close.</summary>
    public const string ClientClose = "s.close()";

    /// <summary>The client's read (the one whose count a write of N bytes decides).</summary>
    public const string ClientRecv = "s.recv(1024)";

    /// <summary>A UDP server's read of one datagram.</summary>
    public const string RecvFrom = "data, addr = s.recvfrom(1024)";

    /// <summary>A UDP server's answer to one datagram.</summary>
    public const string SendTo = "s.sendto(data, addr)";

    /// <summary>How many <c>recv(1024)</c> calls the lesson's client needs for <paramref name="bytes"/> bytes (at least).</summary>
    public static int RecvCalls(long bytes) => bytes <= 0 ? 0 : (int)((bytes + 1023) / 1024);

    /// <summary>The four programs for a server at <paramref name="host"/>, echo port <paramref name="port"/>.</summary>
    public static IReadOnlyList<Snippet> For(string host, int port)
    {
        var bare = host.Trim('[', ']');
        var ipv6 = bare.Contains(':', StringComparison.Ordinal);
        var family = ipv6 ? "socket.AF_INET6" : "socket.AF_INET";
        var p = port.ToString(CultureInfo.InvariantCulture);
        return
        [
            new("python-client", "cliente.py", "python3 cliente.py", $$"""
                import socket

                s = socket.socket({{family}}, socket.SOCK_STREAM)
                s.connect(("{{bare}}", {{p}}))
                while True:
                    mensaje = input("> ")
                    s.send(mensaje.encode() + b"\n")
                    print({{ClientRecv}}.decode(), end="")
                    if mensaje == "quit":
                        break
                {{ClientClose}}
                """),
            new("python-server", "servidor.py", "python3 servidor.py", $$"""
                import socket

                s = socket.socket({{family}}, socket.SOCK_STREAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("{{bare}}", {{p}}))
                s.listen(10)
                while True:
                    {{Accept}}
                    print("accept()", addr)
                    while True:
                        {{Recv}}
                        if not data:
                            break
                        {{Send}}
                        {{Quit}}
                            {{Goodbye}}
                            break
                    {{ServerClose}}
                """),
            new("csharp-client", "cliente.cs", "dotnet run cliente.cs", $$"""
                using System.Net.Sockets;
                using System.Text;

                using var client = new TcpClient();
                await client.ConnectAsync("{{bare}}", {{p}});
                var stream = client.GetStream();
                while (Console.ReadLine() is { } mensaje)
                {
                    await stream.WriteAsync(Encoding.UTF8.GetBytes(mensaje + "\n"));
                    var buffer = new byte[1024];
                    var n = await stream.ReadAsync(buffer);
                    Console.Write(Encoding.UTF8.GetString(buffer, 0, n));
                    if (mensaje == "quit")
                    {
                        break;
                    }
                }
                """),
            new("node-client", "cliente.js", "node cliente.js", $$"""
                const net = require("node:net");
                const readline = require("node:readline");

                const s = net.createConnection({ host: "{{bare}}", port: {{p}} });
                s.on("data", (data) => process.stdout.write(data.toString()));
                s.on("close", () => process.exit(0));
                readline.createInterface({ input: process.stdin }).on("line", (mensaje) => {
                  s.write(mensaje + "\n");
                  if (mensaje === "quit") s.end();
                });
                """),
        ];
    }
}
