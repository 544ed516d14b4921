namespace EchoBridge.Bench.Load;

/// <summary>
/// The messages of a closed-loop run, built once and shared read-only by every connection. Message <c>seq</c> is
/// echoload's fill: byte i is <c>'a' + (seq + i) % 26</c>, and the last byte is <c>'\n'</c>. Consecutive messages
/// differ, so a stale, repeated or misordered echo fails the byte-for-byte check. Only 26 distinct messages exist,
/// so picking the next one is an index into this table, not a fill per message.
/// <para>
/// Letters only, on purpose: the listener speaks telnet by default, where 0xFF is a command byte (IAC) and a line
/// that is exactly <c>quit</c> ends the session. Neither can occur: q, u, i, t are not consecutive letters.
/// </para>
/// </summary>
public sealed class MessageSet
{
    /// <summary>How many distinct messages there are (the period of the fill).</summary>
    public const int Variants = 26;

    private readonly byte[] _table;

    /// <summary>Builds the messages of <paramref name="size"/> bytes (at least 2).</summary>
    public MessageSet(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 2);
        Size = size;
        _table = new byte[Variants * size];
        for (var variant = 0; variant < Variants; variant++)
        {
            var message = _table.AsSpan(variant * size, size);
            for (var i = 0; i < size - 1; i++)
            {
                message[i] = (byte)('a' + ((variant + i) % Variants));
            }

            message[^1] = (byte)'\n';
        }
    }

    /// <summary>Bytes per message, the final '\n' included.</summary>
    public int Size { get; }

    /// <summary>Message number <paramref name="seq"/>.</summary>
    public ReadOnlyMemory<byte> this[long seq] => _table.AsMemory((int)(seq % Variants) * Size, Size);

    /// <summary>Whether <paramref name="data"/> is one of the messages (any of them): tells a late echo from a corrupt one.</summary>
    public bool Contains(ReadOnlySpan<byte> data)
    {
        for (var variant = 0; variant < Variants; variant++)
        {
            if (data.SequenceEqual(this[variant].Span))
            {
                return true;
            }
        }

        return false;
    }
}
