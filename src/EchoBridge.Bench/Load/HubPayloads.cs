using System.Text;

namespace EchoBridge.Bench.Load;

/// <summary>
/// The messages as the hub's methods take them — a string for <c>Send</c>, a byte array for <c>SendBytes</c> — made
/// once from the <see cref="MessageSet"/> so the bench adds no allocation of its own to what SignalR needs per call.
/// </summary>
public sealed class HubPayloads
{
    private readonly string[] _texts = new string[MessageSet.Variants];
    private readonly byte[][] _arrays = new byte[MessageSet.Variants][];

    /// <summary>Builds the payloads of <paramref name="messages"/>.</summary>
    public HubPayloads(MessageSet messages)
    {
        for (var variant = 0; variant < MessageSet.Variants; variant++)
        {
            _arrays[variant] = messages[variant].ToArray();
            _texts[variant] = Encoding.ASCII.GetString(_arrays[variant]);
        }
    }

    /// <summary>Message <paramref name="seq"/> as text.</summary>
    public string Text(long seq) => _texts[seq % MessageSet.Variants];

    /// <summary>Message <paramref name="seq"/> as bytes.</summary>
    public byte[] Bytes(long seq) => _arrays[seq % MessageSet.Variants];
}
