using System.Net;
using System.Text;
using EchoBridge.Contracts;
using EchoBridge.Lab;
using EchoBridge.Listener;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EchoBridge.Tests.Lab;

/// <summary>The watch's reading against captured tables in a folder of their own: filtering, the row cap, no /proc.</summary>
public sealed class KernelSocketWatchTests : IDisposable
{
    private const int EchoPort = 9999;
    private readonly string _folder = Directory.CreateTempSubdirectory("eb-procnet-").FullName;

    [Fact]
    public void Without_the_tables_the_view_says_it_is_unavailable_instead_of_failing()
    {
        var snapshot = Watch().ReadOnce();

        Assert.Contains("only readable on Linux", snapshot.Unavailable);
        Assert.Empty(snapshot.Sockets);
        Assert.Equal([EchoPort], snapshot.Ports);
    }

    [Fact]
    public void Rows_on_either_end_of_the_echo_port_are_kept_from_both_tables_up_to_the_cap_and_the_rest_is_counted()
    {
        var tcp = new StringBuilder("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n");
        tcp.Append("   0: 0100007F:270F 00000000:0000 0A 00000000:00000003 00:00000000 00000000 0 0 1 1 0\n");
        for (var i = 0; i < 600; i++)
        {
            // Each client to the echo port, then an unrelated connection (port 80) that must be left out.
            tcp.Append($"   {i}: 0100007F:{40000 + i:X4} 0100007F:270F 01 00000000:00000000 00:00000000 00000000 0 0 1 1 0\n");
            tcp.Append($"   {i}: 0100007F:{40000 + i:X4} 0100007F:0050 01 00000000:00000000 00:00000000 00000000 0 0 1 1 0\n");
        }

        File.WriteAllText(Path.Combine(_folder, "tcp"), tcp.ToString());
        File.WriteAllText(Path.Combine(_folder, "tcp6"), """
              sl  local_address                         remote_address                        st tx_queue rx_queue
               0: 00000000000000000000000001000000:270F 00000000000000000000000001000000:97F2 06 00000000:00000000 00:00000000 00000000 0 0 0 3 0
            """);

        var snapshot = Watch().ReadOnce();

        Assert.Null(snapshot.Unavailable);
        Assert.Equal(602, snapshot.Matched);
        Assert.Equal(KernelSocketWatch.MaxRows, snapshot.Sockets.Count);
        Assert.True(snapshot.Truncated);
        Assert.Equal(3, snapshot.Sockets[0].AcceptQueue);
        Assert.All(snapshot.Sockets, s => Assert.True(s.Local.Port == EchoPort || s.Remote.Port == EchoPort));
        Assert.Equal(7, snapshot.Backlog); // Listener:Backlog, under somaxconn
    }

    [Fact]
    public void The_contract_view_names_and_explains_each_state()
    {
        File.WriteAllText(Path.Combine(_folder, "tcp6"), "");
        File.WriteAllText(Path.Combine(_folder, "tcp"), "   0: 0100007F:270F 0100007F:97F2 06 00000000:00000000 00:00000000 00000000 0 0 0 3 0\n");

        var view = SocketLab.ToView(Watch().ReadOnce(), acceptPaused: true);

        var row = Assert.Single(view.Sockets);
        Assert.Equal(new KernelSocketRow("TIME_WAIT", TcpStateText.Explain(TcpState.TimeWait), "127.0.0.1:9999", "127.0.0.1:38898", 0, 0, null), row);
        Assert.True(view.AcceptPaused);
        Assert.False(view.Truncated);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private KernelSocketWatch Watch()
    {
        var endpoints = new ListenerEndpoints();
        endpoints.Publish([new EchoEndpoint(SessionKind.Tcp, Telnet: true, new IPEndPoint(IPAddress.Loopback, EchoPort))], []);
        var options = Options.Create(new ListenerOptions { Backlog = 7 });
        return new KernelSocketWatch(endpoints, options, TimeProvider.System, NullLogger<KernelSocketWatch>.Instance) { ProcNet = _folder };
    }
}
