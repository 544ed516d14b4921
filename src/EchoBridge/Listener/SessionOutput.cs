using System.Buffers;
using System.IO.Pipelines;
using EchoBridge.Sessions;

namespace EchoBridge.Listener;

/// <summary>
/// The connection's output pipe as the scanner sees it: every chunk the scanner commits is written straight into the
/// pipe's own buffer and recorded on the session on the way (no extra copy of the data, no allocation).
/// </summary>
internal sealed class SessionOutput(PipeWriter pipe, Session session) : IBufferWriter<byte>
{
    private Memory<byte> _current;

    public void Advance(int count)
    {
        session.RecordOut(_current.Span[..count]);
        pipe.Advance(count);
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => _current = pipe.GetMemory(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
}
