using System.Globalization;
using System.Resources;
using EchoBridge.Contracts;

namespace EchoBridge.Client.Connect;

/// <summary>
/// The commands a person pastes into a terminal to reach the listener, built from the endpoints the server really
/// bound and the host name the page was loaded from (the one the person can already reach).
/// </summary>
public static class TerminalCommands
{
    // The labels in words are in TerminalCommands.resx / .es.resx (read in the page's CurrentUICulture); commands,
    // program names and protocol words stay as typed.
    private static readonly ResourceManager Text = new(typeof(TerminalCommands));

    /// <summary>One copyable command.</summary>
    public sealed record Command(string Label, string Text);

    /// <summary>
    /// The commands for <paramref name="endpoints"/>, as seen from <paramref name="pageHost"/>; the WebSocket bridge's
    /// URL is built from the page's own <paramref name="pageAuthority"/> (host and port) and scheme.
    /// </summary>
    public static IReadOnlyList<Command> For(IReadOnlyList<EndpointStatus> endpoints, string pageHost,
        string? pageAuthority = null, bool secure = false)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var commands = new List<Command>();
        var host = pageHost.Contains(':', StringComparison.Ordinal) && !pageHost.StartsWith('[') ? $"[{pageHost}]" : pageHost;
        var tcp = endpoints.FirstOrDefault(e => string.Equals(e.Protocol, "tcp", StringComparison.OrdinalIgnoreCase) && e.Bound);
        if (tcp is not null && PortOf(tcp.Address) is { } tcpPort)
        {
            commands.Add(new("telnet", $"telnet {pageHost} {tcpPort}"));
            commands.Add(new("nc (TCP)", $"nc {pageHost} {tcpPort}"));
            commands.Add(new("Python", PythonSnippet(host.Trim('[', ']'), tcpPort)));
        }

        var tls = endpoints.FirstOrDefault(e => string.Equals(e.Protocol, "tls", StringComparison.OrdinalIgnoreCase) && e.Bound);
        if (tls is not null && PortOf(tls.Address) is { } tlsPort)
        {
            commands.Add(new("openssl (TLS)", $"openssl s_client -quiet -connect {host}:{tlsPort}"));
        }

        var unix = endpoints.FirstOrDefault(e => string.Equals(e.Protocol, "unix", StringComparison.OrdinalIgnoreCase) && e.Bound);
        if (unix is not null)
        {
            commands.Add(new(Word("UnixLabel"), $"nc -U {unix.Address}"));
        }

        var udp = endpoints.FirstOrDefault(e => string.Equals(e.Protocol, "udp", StringComparison.OrdinalIgnoreCase) && e.Bound);
        if (udp is not null && PortOf(udp.Address) is { } udpPort)
        {
            commands.Add(new("nc (UDP)", $"nc -u {pageHost} {udpPort}"));
        }

        var webSocket = endpoints.FirstOrDefault(e => string.Equals(e.Protocol, "websocket", StringComparison.OrdinalIgnoreCase) && e.Bound);
        if (webSocket is not null && pageAuthority is { Length: > 0 })
        {
            var url = $"{(secure ? "wss" : "ws")}://{pageAuthority}{webSocket.Address}";
            commands.Add(new(Word("WebSocketLabel"), $"{url}/echo"));
            commands.Add(new("websocat", $"websocat --binary {url}/echo"));
            commands.Add(new(Word("NoVncLabel"), $"vnc.html?host={pageHost}&port={PortOrDefault(pageAuthority, secure)}&path={webSocket.Address.TrimStart('/')}%3Ftoken%3Dvnc"));
        }

        return commands;
    }

    private static string Word(string name) => Text.GetString(name, CultureInfo.CurrentUICulture) ?? name;

    private static int PortOrDefault(string authority, bool secure) => PortOf(authority) ?? (secure ? 443 : 80);

    /// <summary>The port of <c>127.0.0.1:9999</c> or <c>[::]:9999</c>.</summary>
    public static int? PortOf(string address)
    {
        var colon = address.LastIndexOf(':');
        return colon >= 0 && int.TryParse(address.AsSpan(colon + 1), CultureInfo.InvariantCulture, out var port) ? port : null;
    }

    private static string PythonSnippet(string host, int port) =>
        $"""
        import socket
        s = socket.create_connection(("{host}", {port}))
        s.send(b"hola\n")
        print(s.recv(1024))
        """;
}
