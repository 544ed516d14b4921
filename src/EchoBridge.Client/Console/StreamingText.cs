using System.Text;

namespace EchoBridge.Client.Console;

/// <summary>
/// Decodes a byte stream that arrives in frames: a UTF-8 character split across two frames is held back until its
/// last byte arrives, so "é" sent as C3 | A9 renders as "é", not as two replacement characters.
/// </summary>
public sealed class StreamingText
{
    private readonly Decoder _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();

    /// <summary>The text that <paramref name="bytes"/> completes (may be empty while a character is incomplete).</summary>
    public string Decode(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[_decoder.GetCharCount(bytes, flush: false)];
        var count = _decoder.GetChars(bytes, chars, flush: false);
        return new string(chars, 0, count);
    }

    /// <summary>Whatever is held back, as replacement characters (the stream ended mid-character).</summary>
    public string Flush()
    {
        var chars = new char[_decoder.GetCharCount([], flush: true)];
        var count = _decoder.GetChars([], chars, flush: true);
        return new string(chars, 0, count);
    }
}
