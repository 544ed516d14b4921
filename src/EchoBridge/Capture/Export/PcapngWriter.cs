using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace EchoBridge.Capture.Export;

/// <summary>
/// The pcapng file format (draft-ietf-opsawg-pcapng), as little of it as a capture needs: one section header, one
/// interface of raw IP packets (link type 101, timestamps in microseconds), enhanced packet blocks with an optional
/// comment. Pure: it writes to an <see cref="IBufferWriter{T}"/> and keeps no other state.
/// </summary>
public sealed class PcapngWriter(IBufferWriter<byte> output)
{
    private const uint SectionHeaderType = 0x0A0D0D0A, InterfaceType = 1, EnhancedPacketType = 6;
    private const ushort LinkTypeRaw = 101, OptComment = 1, OptEnd = 0, ShbUserApplication = 4;

    /// <summary>Writes the section header and the one interface description; call once, first.</summary>
    public void WriteHeader(string application)
    {
        var app = Encoding.UTF8.GetBytes(application);
        var optionsLength = OptionLength(app.Length) + 4;
        var length = 28 + optionsLength;
        var span = output.GetSpan(length)[..length];
        BinaryPrimitives.WriteUInt32LittleEndian(span, SectionHeaderType);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], 0x1A2B3C4D); // byte-order magic
        BinaryPrimitives.WriteUInt16LittleEndian(span[12..], 1);         // version 1.0
        BinaryPrimitives.WriteUInt16LittleEndian(span[14..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(span[16..], -1);         // section length not given
        var at = 24 + WriteOption(span[24..], ShbUserApplication, app);
        at += WriteOption(span[at..], OptEnd, []);
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], length);
        output.Advance(length);

        const int idbLength = 20;
        span = output.GetSpan(idbLength)[..idbLength];
        BinaryPrimitives.WriteUInt32LittleEndian(span, InterfaceType);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], idbLength);
        BinaryPrimitives.WriteUInt16LittleEndian(span[8..], LinkTypeRaw);
        BinaryPrimitives.WriteUInt16LittleEndian(span[10..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], 0);         // snap length: no limit
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], idbLength);
        output.Advance(idbLength);
    }

    /// <summary>Writes one raw IP packet captured at <paramref name="at"/>, with an optional comment.</summary>
    public void WritePacket(DateTimeOffset at, ReadOnlySpan<byte> packet, string? comment = null)
    {
        var commentBytes = comment is null ? null : Encoding.UTF8.GetBytes(comment);
        var optionsLength = commentBytes is null ? 0 : OptionLength(commentBytes.Length) + 4;
        var length = 32 + Pad(packet.Length) + optionsLength;
        var span = output.GetSpan(length)[..length];
        span.Clear();
        var micros = (ulong)((at - DateTimeOffset.UnixEpoch).Ticks / 10);
        BinaryPrimitives.WriteUInt32LittleEndian(span, EnhancedPacketType);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], 0);          // interface 0
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], (uint)(micros >> 32));
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], (uint)micros);
        BinaryPrimitives.WriteInt32LittleEndian(span[20..], packet.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], packet.Length);
        packet.CopyTo(span[28..]);
        var at2 = 28 + Pad(packet.Length);
        if (commentBytes is not null)
        {
            at2 += WriteOption(span[at2..], OptComment, commentBytes);
            at2 += WriteOption(span[at2..], OptEnd, []);
        }

        BinaryPrimitives.WriteInt32LittleEndian(span[at2..], length);
        output.Advance(length);
    }

    private static int WriteOption(Span<byte> span, ushort code, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(span, code);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], (ushort)value.Length);
        value.CopyTo(span[4..]);
        span.Slice(4 + value.Length, Pad(value.Length) - value.Length).Clear();
        return 4 + Pad(value.Length);
    }

    private static int OptionLength(int valueLength) => 4 + Pad(valueLength);

    private static int Pad(int length) => (length + 3) & ~3;
}
