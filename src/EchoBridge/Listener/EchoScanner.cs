using System.Buffers;

namespace EchoBridge.Listener;

/// <summary>
/// The pure, synchronous heart of the echo: reads what a client sent and writes what goes back, keeping its state
/// across reads so that a <c>quit</c> or a telnet command split between two reads is still recognised.
/// <para>
/// Telnet mode (RFC 854): data bytes come back unchanged and at once; telnet commands are never echoed; option
/// requests are refused (DO x → WONT x, WILL x → DONT x) except DO TIMING-MARK, answered WILL TIMING-MARK;
/// subnegotiation is skipped; IAC IP ends the session; IAC IAC is a literal 0xFF and comes back doubled, as does
/// 0xFF before a non-command byte. A line that is exactly <c>quit</c> (ended by LF, CRLF or CR NUL) ends the session.
/// Pure mode (RFC 862): every byte comes back, nothing else happens.
/// </para>
/// It consumes everything it is given (up to a quit), so the caller always advances to the end of its buffer.
/// </summary>
public sealed class EchoScanner(bool telnet)
{
    private const byte Iac = 255, Dont = 254, Do = 253, Wont = 252, Will = 251, Sb = 250, Ip = 244, Se = 240;
    private const byte TimingMark = 6;
    private const byte Lf = (byte)'\n', Cr = (byte)'\r', Nul = 0;

    // Progress through the current line: 0..4 letters of "quit" matched at its start, QuitCr after "quit\r",
    // NotQuit once the line can no longer be a quit (then whole runs are skipped with a vectorised search).
    private const int NotQuit = -1, QuitCr = 5;

    private static readonly SearchValues<byte> Stops = SearchValues.Create(Cr, Lf, Iac);

    private TelnetState _state;
    private byte _command;
    private int _line;
    private bool _afterCr;

    /// <summary>Whether this scanner speaks telnet (and recognises <c>quit</c>); otherwise it is a pure byte echo.</summary>
    public bool Telnet { get; } = telnet;

    /// <summary>Line endings seen so far (LF, CRLF and CR NUL each count once).</summary>
    public long Lines { get; private set; }

    /// <summary>Echoes <paramref name="input"/> into <paramref name="output"/>, answering telnet negotiation in order.</summary>
    public ScanOutcome Scan(in ReadOnlySequence<byte> input, IBufferWriter<byte> output)
    {
        foreach (var segment in input)
        {
            var span = segment.Span;
            if (!Telnet)
            {
                output.Write(span);
                Lines += span.Count(Lf);
                continue;
            }

            var outcome = ScanTelnet(span, output);
            if (outcome != ScanOutcome.Continue)
            {
                return outcome;
            }
        }

        return ScanOutcome.Continue;
    }

    private ScanOutcome ScanTelnet(ReadOnlySpan<byte> span, IBufferWriter<byte> output)
    {
        // [runStart, i) is a run of bytes that come back exactly as they came in; telnet commands break runs.
        var runStart = 0;
        var i = 0;
        while (i < span.Length)
        {
            switch (_state)
            {
                case TelnetState.Data:
                    if (_line == NotQuit && !_afterCr)
                    {
                        var next = span[i..].IndexOfAny(Stops);
                        if (next < 0)
                        {
                            i = span.Length;
                            break;
                        }

                        i += next;
                    }

                    var b = span[i];
                    if (b == Iac)
                    {
                        output.Write(span[runStart..i]);
                        _state = TelnetState.Iac;
                        runStart = ++i;
                        break;
                    }

                    if (OnDataByte(b))
                    {
                        output.Write(span[runStart..(i + 1)]);
                        return ScanOutcome.Quit;
                    }

                    i++;
                    break;

                case TelnetState.Iac:
                    var command = span[i];
                    if (command == Iac || command < Se)
                    {
                        // A literal 0xFF (IAC IAC) or 0xFF before a non-command byte: both come back exactly.
                        // The first byte is written here; the second starts the next run.
                        output.Write([Iac]);
                        OnDataByte(Iac);
                        _state = TelnetState.Data;
                        runStart = i;
                        if (command == Iac)
                        {
                            i++;
                        }

                        break;
                    }

                    switch (command)
                    {
                        case Do or Dont or Will or Wont:
                            _command = command;
                            _state = TelnetState.Option;
                            break;
                        case Sb:
                            _state = TelnetState.Subnegotiation;
                            break;
                        case Ip:
                            _state = TelnetState.Data;
                            return ScanOutcome.Interrupt;
                        default:
                            // NOP, DM, BRK, AO, AYT, EC, EL, GA and a stray SE: commands, never echoed.
                            _state = TelnetState.Data;
                            break;
                    }

                    runStart = ++i;
                    break;

                case TelnetState.Option:
                    Answer(_command, span[i], output);
                    _state = TelnetState.Data;
                    runStart = ++i;
                    break;

                case TelnetState.Subnegotiation:
                    var iac = span[i..].IndexOf(Iac);
                    i = iac < 0 ? span.Length : i + iac + 1;
                    if (iac >= 0)
                    {
                        _state = TelnetState.SubnegotiationIac;
                    }

                    runStart = i;
                    break;

                case TelnetState.SubnegotiationIac:
                    // IAC SE ends the subnegotiation; IAC IAC (or anything else) is still inside it.
                    _state = span[i] == Se ? TelnetState.Data : TelnetState.Subnegotiation;
                    runStart = ++i;
                    break;
            }
        }

        output.Write(span[runStart..]);
        return ScanOutcome.Continue;
    }

    /// <summary>Tracks lines through one data byte; true when it completes a line that is exactly <c>quit</c>.</summary>
    private bool OnDataByte(byte b)
    {
        if (_afterCr)
        {
            _afterCr = false;
            if (b is Lf or Nul)
            {
                var quit = _line == QuitCr;
                _line = 0;
                return quit;
            }

            _line = 0; // a bare CR ended the line; b starts the next one
        }

        switch (b)
        {
            case Lf:
                Lines++;
                var quit = _line == 4;
                _line = 0;
                return quit;
            case Cr:
                Lines++;
                _afterCr = true;
                _line = _line == 4 ? QuitCr : NotQuit;
                return false;
            default:
                _line = _line is >= 0 and < 4 && b == "quit"u8[_line] ? _line + 1 : NotQuit;
                return false;
        }
    }

    private static void Answer(byte command, byte option, IBufferWriter<byte> output)
    {
        // We never enable an option, so DONT and WONT need no answer (RFC 854: don't acknowledge the current state).
        // TIMING-MARK is the exception: answering it is what lets a telnet client finish its Ctrl+C.
        switch (command)
        {
            case Do:
                output.Write([Iac, option == TimingMark ? Will : Wont, option]);
                break;
            case Will:
                output.Write([Iac, Dont, option]);
                break;
        }
    }

    private enum TelnetState : byte
    {
        Data,
        Iac,
        Option,
        Subnegotiation,
        SubnegotiationIac,
    }
}
