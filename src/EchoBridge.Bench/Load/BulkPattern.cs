namespace EchoBridge.Bench.Load;

/// <summary>
/// The byte stream of the bulk mode: text lines of 63 letters and a '\n', repeating every <see cref="Period"/> bytes.
/// The period is prime, so it is no multiple of a line, a chunk or a read: a lost, repeated or reordered piece of the
/// stream shifts what follows and fails the check. Any stretch of the stream is one contiguous slice of the table,
/// so writing a chunk and checking a read are plain span operations. Letters only: no telnet IAC, no <c>quit</c>.
/// </summary>
public sealed class BulkPattern
{
    /// <summary>How often the stream repeats (a prime).</summary>
    public const int Period = 4093;

    private const int LineLength = 64;

    private readonly byte[] _table;

    /// <summary>Builds the pattern for slices of up to <paramref name="maxSlice"/> bytes.</summary>
    public BulkPattern(int maxSlice)
    {
        _table = new byte[Period + maxSlice];
        for (var i = 0; i < _table.Length; i++)
        {
            var j = i % Period;
            _table[i] = j % LineLength == LineLength - 1 ? (byte)'\n' : (byte)('a' + (j % 26));
        }
    }

    /// <summary>The <paramref name="length"/> bytes of the stream that start at <paramref name="offset"/>.</summary>
    public ReadOnlyMemory<byte> Slice(long offset, int length) => _table.AsMemory((int)(offset % Period), length);
}
