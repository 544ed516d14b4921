using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Text;
using EchoBridge.Listener;
using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Listener;

/// <summary>The PROXY protocol reader over every shape the spec allows, whole and byte by byte.</summary>
public sealed class ProxyProtocolTests
{
    private static readonly byte[] V2Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    public static byte[] V2(byte command, byte family, byte[] addresses, byte[]? tlvs = null)
    {
        tlvs ??= [];
        var header = new byte[16 + addresses.Length + tlvs.Length];
        V2Signature.CopyTo(header, 0);
        header[12] = (byte)(0x20 | command);
        header[13] = family;
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), (ushort)(addresses.Length + tlvs.Length));
        addresses.CopyTo(header, 16);
        tlvs.CopyTo(header, 16 + addresses.Length);
        return header;
    }

    public static byte[] V2Tcp4(string source, int sourcePort, string destination, int destinationPort, byte[]? tlvs = null)
    {
        var a = new byte[12];
        IPAddress.Parse(source).GetAddressBytes().CopyTo(a, 0);
        IPAddress.Parse(destination).GetAddressBytes().CopyTo(a, 4);
        BinaryPrimitives.WriteUInt16BigEndian(a.AsSpan(8), (ushort)sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(a.AsSpan(10), (ushort)destinationPort);
        return V2(1, 0x11, a, tlvs);
    }

    private static (ProxyParse Result, ProxyHeader? Header, long Consumed, string? Error) Read(byte[] bytes, int segmentSize = int.MaxValue)
    {
        var sequence = Segments.Of(bytes.Chunk(Math.Min(segmentSize, Math.Max(1, bytes.Length))).ToArray());
        var result = ProxyProtocol.TryRead(sequence, out var consumed, out var header, out var error);
        return (result, header, sequence.Slice(0, consumed).Length, error);
    }

    [Theory]
    [InlineData("PROXY TCP4 203.0.113.7 192.0.2.1 56324 9999\r\nhola", "203.0.113.7:56324", "192.0.2.1:9999")]
    [InlineData("PROXY TCP6 2001:db8::7 2001:db8::1 56324 9999\r\nhola", "[2001:db8::7]:56324", "[2001:db8::1]:9999")]
    public void A_v1_header_gives_the_real_client_and_leaves_the_clients_bytes(string text, string source, string destination)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        foreach (var segment in new[] { int.MaxValue, 1, 7 })
        {
            var (result, header, consumed, _) = Read(bytes, segment);
            Assert.Equal(ProxyParse.Parsed, result);
            Assert.Equal(source, header!.Source!.ToString());
            Assert.Equal(destination, header.Destination!.ToString());
            Assert.Equal(bytes.Length - 4, consumed);
        }
    }

    [Fact]
    public void A_v1_header_arriving_byte_by_byte_needs_more_until_its_line_ends()
    {
        var bytes = "PROXY TCP4 203.0.113.7 192.0.2.1 56324 9999\r\n"u8.ToArray();
        for (var length = 1; length < bytes.Length; length++)
        {
            Assert.Equal(ProxyParse.NeedMore, Read(bytes[..length]).Result);
        }

        Assert.Equal(ProxyParse.Parsed, Read(bytes).Result);
    }

    [Fact]
    public void V1_UNKNOWN_is_a_connection_with_no_address_to_show()
    {
        var (result, header, _, _) = Read("PROXY UNKNOWN\r\n"u8.ToArray());
        Assert.Equal(ProxyParse.Parsed, result);
        Assert.Null(header!.Source);
    }

    [Theory]
    [InlineData("hola\r\n")]
    [InlineData("GET / HTTP/1.1\r\n")]
    [InlineData("PROXY TCP4 203.0.113.7 192.0.2.1 56324\r\n")]
    [InlineData("PROXY TCP4 2001:db8::7 192.0.2.1 56324 9999\r\n")]
    [InlineData("PROXY TCP4 203.0.113.7 192.0.2.1 99999 9999\r\n")]
    [InlineData("PROXY TCP4 203.0.113.7 192.0.2.1 056324 9999\r\n")]
    [InlineData("PROXY TCP9 203.0.113.7 192.0.2.1 1 2\r\n")]
    public void Anything_else_is_invalid_with_a_reason(string text)
    {
        var (result, _, _, error) = Read(Encoding.ASCII.GetBytes(text));
        Assert.Equal(ProxyParse.Invalid, result);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void A_v1_header_longer_than_107_bytes_is_invalid_even_without_its_line_end()
    {
        var (result, _, _, error) = Read(Encoding.ASCII.GetBytes("PROXY TCP4 " + new string('1', 120)));
        Assert.Equal(ProxyParse.Invalid, result);
        Assert.Contains("107", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_v2_header_with_TLVs_split_across_reads_gives_the_client_and_skips_the_TLVs()
    {
        var tlvs = new byte[300]; // more than 232 bytes in all: the spec allows it, and the TLVs are skipped
        tlvs[0] = 0x04; // PP2_TYPE_NOOP
        BinaryPrimitives.WriteUInt16BigEndian(tlvs.AsSpan(1), 297);
        var header = V2Tcp4("198.51.100.9", 40000, "192.0.2.1", 9999, tlvs);
        var bytes = header.Concat("hola"u8.ToArray()).ToArray();

        foreach (var segment in new[] { int.MaxValue, 1, 13 })
        {
            var (result, parsed, consumed, _) = Read(bytes, segment);
            Assert.Equal(ProxyParse.Parsed, result);
            Assert.Equal("198.51.100.9:40000", parsed!.Source!.ToString());
            Assert.Equal(header.Length, consumed);
        }

        Assert.Equal(ProxyParse.NeedMore, Read(bytes[..(header.Length - 1)]).Result);
    }

    [Fact]
    public void A_v2_IPv6_header_and_a_LOCAL_one()
    {
        var a = new byte[36];
        IPAddress.Parse("2001:db8::9").GetAddressBytes().CopyTo(a, 0);
        IPAddress.Parse("2001:db8::1").GetAddressBytes().CopyTo(a, 16);
        BinaryPrimitives.WriteUInt16BigEndian(a.AsSpan(32), 4242);
        BinaryPrimitives.WriteUInt16BigEndian(a.AsSpan(34), 9999);
        Assert.Equal("[2001:db8::9]:4242", Read(V2(1, 0x21, a)).Header!.Source!.ToString());

        var local = Read(V2(0, 0x00, []));
        Assert.Equal(ProxyParse.Parsed, local.Result);
        Assert.Null(local.Header!.Source);
    }

    [Fact]
    public void A_v2_header_that_is_too_long_or_of_another_version_is_invalid()
    {
        var huge = V2(1, 0x11, new byte[12]);
        BinaryPrimitives.WriteUInt16BigEndian(huge.AsSpan(14), 60000);
        Assert.Equal(ProxyParse.Invalid, Read(huge).Result);

        var v3 = V2Tcp4("198.51.100.9", 1, "192.0.2.1", 2);
        v3[12] = 0x31;
        Assert.Equal(ProxyParse.Invalid, Read(v3).Result);

        var shortAddresses = V2(1, 0x11, new byte[4]);
        Assert.Equal(ProxyParse.Invalid, Read(shortAddresses).Result);
    }
}
