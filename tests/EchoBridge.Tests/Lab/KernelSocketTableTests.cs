using System.Net;
using EchoBridge.Lab;

namespace EchoBridge.Tests.Lab;

// Captured from this kind of machine (x86-64, little-endian), as the kernel prints them.
public sealed class KernelSocketTableTests
{
    private const string Tcp4 = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           3: 0100007F:866B 00000000:0000 0A 00000000:00000005 00:00000000 00000000     0        0 362634 6 0000000065
         418: 0100007F:866B 0100007F:B24E 01 00000000:00000000 00:00000000 00000000     0        0 0 1 000000000b3cc0f
         582: 0100007F:B222 0100007F:866B 01 00000000:00000000 00:00000000 00000000     0        0 362635 2 0000000088
         587: 0100007F:B25A 0100007F:866B 02 00000001:00000000 01:00000031 00000000     0        0 362640 2 00000000cd
         600: 0A00A8C0:270F 6400A8C0:D431 01 0000012C:00000BB8 00:00000000 00000000  1000        0 362641 1 00000000aa
        """;

    private const string Tcp6 = """
          sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 00000000000000000000000000000000:EC5F 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 387820 1 00000000362d5a62 100 0 0 10 0
           1: 0000000000000000FFFF00000100007F:EC5F 0000000000000000FFFF00000100007F:B382 01 00000000:00000000 00:00000000 00000000     0        0 387824 1 000000009c13b5a9 20 0 0 10 -1
           2: 00000000000000000000000001000000:97F2 00000000000000000000000001000000:EC5F 08 00000000:00000001 00:00000000 00000000     0        0 387821 2 00000000f8d8c7a1 20 4 0 10 -1
           3: 00000000000000000000000001000000:EC5F 00000000000000000000000001000000:97F2 05 00000000:00000000 03:00001751 00000000     0        0 0 3 000000007fb75a8b
           4: B80D0120000000000000000001000000:0050 B80D0120000000000000000002000000:C350 01 00000000:00000000 00:00000000 00000000     0        0 1 1 0
        """;

    [Fact]
    public void IPv4_rows_read_addresses_in_host_order_ports_states_and_queues()
    {
        var table = KernelSocketTable.Parse(Tcp4, ipv6: false);

        Assert.Equal(0, table.MalformedLines);
        Assert.Equal(5, table.Sockets.Count);
        var listen = table.Sockets[0];
        Assert.Equal(TcpState.Listen, listen.State);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 0x866B), listen.Local);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 0), listen.Remote);
        Assert.Equal(5, listen.AcceptQueue);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 0xB24E), table.Sockets[1].Remote);
        Assert.Null(table.Sockets[1].AcceptQueue);
        Assert.Equal(TcpState.SynSent, table.Sockets[3].State);
        Assert.Equal(1, table.Sockets[3].TxQueue);
        var lan = table.Sockets[4];
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.168.0.10"), 9999), lan.Local);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.168.0.100"), 54321), lan.Remote);
        Assert.Equal((300L, 3000L), (lan.TxQueue, lan.RxQueue));
    }

    [Fact]
    public void IPv6_rows_read_four_host_order_words_including_loopback_and_IPv4_mapped_addresses()
    {
        var table = KernelSocketTable.Parse(Tcp6, ipv6: true);

        Assert.Equal(0, table.MalformedLines);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Any, 0xEC5F), table.Sockets[0].Local);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("::ffff:127.0.0.1"), 0xEC5F), table.Sockets[1].Local);
        Assert.True(table.Sockets[1].Remote.Address.IsIPv4MappedToIPv6);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 0x97F2), table.Sockets[2].Local);
        Assert.Equal(TcpState.CloseWait, table.Sockets[2].State);
        Assert.Equal(1, table.Sockets[2].RxQueue);
        Assert.Equal(TcpState.FinWait2, table.Sockets[3].State);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::1"), 80), table.Sockets[4].Local);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::2"), 50000), table.Sockets[4].Remote);
    }

    [Fact]
    public void Every_state_code_the_kernel_defines_is_named_and_explained_and_an_unknown_code_is_kept_as_unknown()
    {
        var codes = Enumerable.Range(1, 14).Select(code => $"  {code}: 0100007F:270F 0100007F:C000 {code:X2} 00000000:00000000 00:00000000 00000000 0 0 0 1 0");
        var table = KernelSocketTable.Parse(string.Join('\n', codes), ipv6: false);

        var expected = new[]
        {
            "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK",
            "LISTEN", "CLOSING", "NEW_SYN_RECV", "BOUND_INACTIVE", "UNKNOWN",
        };
        Assert.Equal(expected, table.Sockets.Select(s => TcpStateText.Name(s.State)));
        Assert.Equal(TcpState.Unknown, table.Sockets[^1].State);
        var explanations = table.Sockets.Select(s => TcpStateText.Explain(s.State)).ToList();
        Assert.All(explanations, text => Assert.False(string.IsNullOrWhiteSpace(text)));
        Assert.Equal(explanations.Count, explanations.Distinct().Count());
    }

    [Fact]
    public void Malformed_lines_are_counted_and_lose_no_good_row()
    {
        const string text = """
              sl  local_address rem_address   st tx_queue rx_queue
               0: 0100007F:270F 00000000:0000 0A 00000000:00000002 00:00000000 00000000 0 0 1 1 0
               1: 0100007G:270F 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1 0
               2: 0100007F:270F 00000000:0000 ZZ 00000000:00000000
               3: 0100007F
            garbage
               4: 0100007F:270F 0100007F:C001 01 00000000:00000000 00:00000000 00000000 0 0 1 1 0
            """;

        var table = KernelSocketTable.Parse(text, ipv6: false);

        Assert.Equal(4, table.MalformedLines);
        Assert.Equal([TcpState.Listen, TcpState.Established], table.Sockets.Select(s => s.State));
    }

    [Fact]
    public void A_port_filter_keeps_rows_with_either_end_on_the_port()
    {
        var table = KernelSocketTable.Parse(Tcp4, ipv6: false, (local, remote) => local == 0x866B || remote == 0x866B);

        Assert.Equal(4, table.Sockets.Count);
        Assert.DoesNotContain(table.Sockets, s => s.Local.Port == 9999);
    }
}
