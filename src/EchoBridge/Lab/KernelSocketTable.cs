using System.Buffers.Binary;
using System.Globalization;
using System.Net;

namespace EchoBridge.Lab;

/// <summary>
/// Parses the text of Linux <c>/proc/net/tcp</c> (IPv4) and <c>/proc/net/tcp6</c> (IPv6). Addresses there are the
/// kernel's network-order bytes printed as host-order 32-bit words, so they are read back in this machine's byte order:
/// parse the text on the machine that wrote it.
/// </summary>
/// <param name="Sockets">The rows kept, in file order.</param>
/// <param name="MalformedLines">Lines that were not a socket row (the header aside): counted, not fatal.</param>
public sealed record KernelSocketTable(IReadOnlyList<KernelSocket> Sockets, int MalformedLines)
{
    /// <summary>Parses every row.</summary>
    public static KernelSocketTable Parse(string text, bool ipv6) => Parse(text, ipv6, static (_, _) => true);

    /// <summary>
    /// Parses the rows whose (local port, remote port) <paramref name="keep"/> accepts; the others are skipped before
    /// anything is allocated for them.
    /// </summary>
    public static KernelSocketTable Parse(string text, bool ipv6, Func<int, int, bool> keep)
    {
        var sockets = new List<KernelSocket>();
        var malformed = 0;
        var first = true;
        foreach (var range in text.AsSpan().Split('\n'))
        {
            var line = text.AsSpan(range).Trim();
            if (line.IsEmpty)
            {
                continue;
            }

            if (first && line.StartsWith("sl", StringComparison.Ordinal))
            {
                first = false;
                continue;
            }

            first = false;
            switch (TryParseRow(line, ipv6, keep, out var socket))
            {
                case Row.Kept:
                    sockets.Add(socket!);
                    break;
                case Row.Malformed:
                    malformed++;
                    break;
            }
        }

        return new KernelSocketTable(sockets, malformed);
    }

    private enum Row { Kept, Skipped, Malformed }

    // "  0: 0100007F:270F 00000000:0000 0A 00000000:00000005 00:00000000 00000000  1000 0 12345 ..."
    private static Row TryParseRow(ReadOnlySpan<char> line, bool ipv6, Func<int, int, bool> keep, out KernelSocket? socket)
    {
        socket = null;
        Span<Range> fields = stackalloc Range[6];
        if (line.SplitAny(fields, " \t", StringSplitOptions.RemoveEmptyEntries) < 5 || !line[fields[0]].EndsWith(':'))
        {
            return Row.Malformed;
        }

        var local = line[fields[1]];
        var remote = line[fields[2]];
        var queues = line[fields[4]];
        var addressLength = ipv6 ? 32 : 8;
        if (!TryPort(local, addressLength, out var localPort) || !TryPort(remote, addressLength, out var remotePort)
            || !byte.TryParse(line[fields[3]], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var state)
            || queues.Length != 17 || queues[8] != ':'
            || !uint.TryParse(queues[..8], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var tx)
            || !uint.TryParse(queues[9..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var rx))
        {
            return Row.Malformed;
        }

        if (!keep(localPort, remotePort))
        {
            return Row.Skipped;
        }

        if (!TryAddress(local[..addressLength], out var localAddress) || !TryAddress(remote[..addressLength], out var remoteAddress))
        {
            return Row.Malformed;
        }

        var known = Enum.IsDefined((TcpState)state) ? (TcpState)state : TcpState.Unknown;
        socket = new KernelSocket(known, new IPEndPoint(localAddress, localPort), new IPEndPoint(remoteAddress, remotePort), tx, rx);
        return Row.Kept;
    }

    private static bool TryPort(ReadOnlySpan<char> field, int addressLength, out int port)
    {
        port = 0;
        return field.Length == addressLength + 5 && field[addressLength] == ':'
            && int.TryParse(field[(addressLength + 1)..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out port);
    }

    // Each 8 hex digits are one 32-bit word the kernel printed from memory in host order: write it back the same way.
    private static bool TryAddress(ReadOnlySpan<char> hex, out IPAddress address)
    {
        address = IPAddress.None;
        Span<byte> bytes = stackalloc byte[hex.Length / 2];
        for (var word = 0; word < hex.Length / 8; word++)
        {
            if (!uint.TryParse(hex.Slice(word * 8, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            var slot = bytes.Slice(word * 4, 4);
            if (BitConverter.IsLittleEndian)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(slot, value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32BigEndian(slot, value);
            }
        }

        address = new IPAddress(bytes);
        return true;
    }
}
