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
    private bool _wrote;

    public void Advance(int count)
    {
        session.RecordOut(_current.Span[..count]);
        pipe.Advance(count);
        _wrote |= count > 0;
    }

    /// <summary>Whether anything was written since the last call (a read of telnet commands alone writes nothing).</summary>
    public bool TakeWritten()
    {
        var wrote = _wrote;
        _wrote = false;
        return wrote;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => _current = pipe.GetMemory(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
}
