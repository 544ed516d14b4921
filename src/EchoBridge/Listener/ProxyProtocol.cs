using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace EchoBridge.Listener;

/// <summary>What a PROXY protocol header said: the real client, or nothing (a health check, <c>LOCAL</c>/<c>UNKNOWN</c>).</summary>
/// <param name="Source">The client's address as the proxy saw it; null when the proxy sent no address.</param>
/// <param name="Destination">The address the client connected to at the proxy; null likewise.</param>
public sealed record ProxyHeader(IPEndPoint? Source, IPEndPoint? Destination);

/// <summary>The outcome of looking for a PROXY protocol header at the start of a connection.</summary>
public enum ProxyParse
{
    /// <summary>Not enough bytes yet to decide: read more.</summary>
    NeedMore,
    /// <summary>A complete, valid header; it has been consumed.</summary>
    Parsed,
    /// <summary>Not a valid header; the connection must be closed.</summary>
    Invalid,
}

/// <summary>
/// A pure reader of the PROXY protocol (HAProxy's, versions 1 and 2) over a <see cref="ReadOnlySequence{T}"/>, as
/// HAProxy, nginx <c>stream</c> and AWS NLB send it at the start of each connection. It keeps no state: call it again
/// with more bytes until it answers <see cref="ProxyParse.Parsed"/> or <see cref="ProxyParse.Invalid"/>.
/// </summary>
public static class ProxyProtocol
{
    /// <summary>The longest header taken: v1's 107 bytes; v2's 16 + its addresses and TLVs up to this size.</summary>
    public const int MaxHeaderBytes = 16 + 4096;

    private const int V1MaxBytes = 107;

    private static ReadOnlySpan<byte> V2Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    private static ReadOnlySpan<byte> V1Prefix => "PROXY "u8;

    /// <summary>
    /// Reads a header from the start of <paramref name="buffer"/>. On <see cref="ProxyParse.Parsed"/>,
    /// <paramref name="consumed"/> is where the client's own bytes begin; on <see cref="ProxyParse.Invalid"/>,
    /// <paramref name="error"/> says why, in a few words fit for a log.
    /// </summary>
    public static ProxyParse TryRead(ReadOnlySequence<byte> buffer, out SequencePosition consumed, out ProxyHeader? header, out string? error)
    {
        consumed = buffer.Start;
        header = null;
        error = null;
        Span<byte> start = stackalloc byte[16];
        var available = (int)Math.Min(buffer.Length, start.Length);
        buffer.Slice(0, available).CopyTo(start);
        start = start[..available];

        if (StartsLike(start, V2Signature))
        {
            return available < 16 ? ProxyParse.NeedMore : ReadV2(buffer, start, ref consumed, ref header, ref error);
        }

        if (StartsLike(start, V1Prefix))
        {
            return available < V1Prefix.Length ? ProxyParse.NeedMore : ReadV1(buffer, ref consumed, ref header, ref error);
        }

        error = "no PROXY protocol header";
        return ProxyParse.Invalid;
    }

    // Whether what has arrived so far is a prefix of (or starts with) the expected bytes.
    private static bool StartsLike(ReadOnlySpan<byte> start, ReadOnlySpan<byte> expected) =>
        start.Length >= expected.Length ? start.StartsWith(expected) : expected.StartsWith(start);

    private static ProxyParse ReadV1(ReadOnlySequence<byte> buffer, ref SequencePosition consumed, ref ProxyHeader? header, ref string? error)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> line, "\r\n"u8, advancePastDelimiter: true))
        {
            if (buffer.Length >= V1MaxBytes)
            {
                error = $"PROXY v1 header longer than {V1MaxBytes} bytes";
                return ProxyParse.Invalid;
            }

            return ProxyParse.NeedMore;
        }

        if (line.Length + 2 > V1MaxBytes)
        {
            error = $"PROXY v1 header longer than {V1MaxBytes} bytes";
            return ProxyParse.Invalid;
        }

        var text = Encoding.ASCII.GetString(line);
        var parts = text.Split(' ');
        if (parts is ["PROXY", "UNKNOWN", ..])
        {
            consumed = reader.Position;
            header = new ProxyHeader(null, null);
            return ProxyParse.Parsed;
        }

        if (parts is not ["PROXY", "TCP4" or "TCP6", var source, var destination, var sourcePort, var destinationPort]
            || !IPAddress.TryParse(source, out var sourceAddress) || !IPAddress.TryParse(destination, out var destinationAddress)
            || !TryPort(sourcePort, out var sp) || !TryPort(destinationPort, out var dp)
            || (parts[1] == "TCP4") != (sourceAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork))
        {
            error = "malformed PROXY v1 header";
            return ProxyParse.Invalid;
        }

        consumed = reader.Position;
        header = new ProxyHeader(new IPEndPoint(sourceAddress, sp), new IPEndPoint(destinationAddress, dp));
        return ProxyParse.Parsed;
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port)
        && port is >= 0 and <= 65535 && (text == "0" || text[0] != '0');

    private static ProxyParse ReadV2(ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> start, ref SequencePosition consumed,
        ref ProxyHeader? header, ref string? error)
    {
        var versionCommand = start[12];
        if (versionCommand >> 4 != 2 || (versionCommand & 0x0F) > 1)
        {
            error = "unsupported PROXY v2 version or command";
            return ProxyParse.Invalid;
        }

        var familyProtocol = start[13];
        var length = BinaryPrimitives.ReadUInt16BigEndian(start[14..]);
        if (16 + length > MaxHeaderBytes)
        {
            error = $"PROXY v2 header longer than {MaxHeaderBytes} bytes";
            return ProxyParse.Invalid;
        }

        if (buffer.Length < 16 + length)
        {
            return ProxyParse.NeedMore;
        }

        var body = buffer.Slice(16, length);
        consumed = buffer.GetPosition(16 + length);
        if ((versionCommand & 0x0F) == 0)
        {
            header = new ProxyHeader(null, null); // LOCAL: the proxy's own connection (a health check)
            return ProxyParse.Parsed;
        }

        // The addresses come first; TLVs (if any) follow them and are skipped, as the spec allows.
        switch (familyProtocol >> 4)
        {
            case 0x1 when length >= 12:
            {
                Span<byte> a = stackalloc byte[12];
                body.Slice(0, 12).CopyTo(a);
                header = new ProxyHeader(
                    new IPEndPoint(new IPAddress(a[..4]), BinaryPrimitives.ReadUInt16BigEndian(a[8..])),
                    new IPEndPoint(new IPAddress(a[4..8]), BinaryPrimitives.ReadUInt16BigEndian(a[10..])));
                return ProxyParse.Parsed;
            }

            case 0x2 when length >= 36:
            {
                Span<byte> a = stackalloc byte[36];
                body.Slice(0, 36).CopyTo(a);
                header = new ProxyHeader(
                    new IPEndPoint(new IPAddress(a[..16]), BinaryPrimitives.ReadUInt16BigEndian(a[32..])),
                    new IPEndPoint(new IPAddress(a[16..32]), BinaryPrimitives.ReadUInt16BigEndian(a[34..])));
                return ProxyParse.Parsed;
            }

            case 0x0 or 0x3:
                header = new ProxyHeader(null, null); // UNSPEC, or a Unix-socket client: no IP address to show
                return ProxyParse.Parsed;

            default:
                consumed = buffer.Start;
                error = "PROXY v2 address block shorter than its family needs";
                return ProxyParse.Invalid;
        }
    }
}
