using System.Buffers;
using System.Text;
using EchoBridge.Listener;
using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Listener;

public sealed class EchoScannerTests
{
    private const byte Iac = 255, Dont = 254, Do = 253, Wont = 252, Will = 251, Sb = 250, Ip = 244, Se = 240;

    private static (byte[] Output, ScanOutcome Outcome) Scan(EchoScanner scanner, params byte[][] reads)
    {
        var output = new ArrayBufferWriter<byte>();
        var outcome = ScanOutcome.Continue;
        foreach (var read in reads)
        {
            outcome = scanner.Scan(Segments.Of(read), output);
            if (outcome != ScanOutcome.Continue)
            {
                break;
            }
        }

        return (output.WrittenSpan.ToArray(), outcome);
    }

    /// <summary>Every way of cutting <paramref name="data"/> in two and three segments of one read, and in two reads.</summary>
    private static IEnumerable<(string How, Func<EchoScanner, (byte[], ScanOutcome)> Run)> EverySplit(byte[] data, bool telnet)
    {
        for (var a = 0; a <= data.Length; a++)
        {
            var cutA = a;
            yield return ($"one read, segments at {cutA}", s => ScanSegments(s, Segments.Split(data, cutA)));
            yield return ($"two reads at {cutA}", s => Scan(s, data[..cutA], data[cutA..]));
            for (var b = a; b <= data.Length; b++)
            {
                var cutB = b;
                yield return ($"one read, segments at {cutA},{cutB}", s => ScanSegments(s, Segments.Split(data, cutA, cutB)));
            }
        }

        static (byte[], ScanOutcome) ScanSegments(EchoScanner scanner, byte[][] chunks)
        {
            var output = new ArrayBufferWriter<byte>();
            var outcome = scanner.Scan(Segments.Of(chunks), output);
            return (output.WrittenSpan.ToArray(), outcome);
        }
    }

    private static void AssertEverySplit(byte[] input, byte[] expected, ScanOutcome expectedOutcome, bool telnet = true)
    {
        foreach (var (how, run) in EverySplit(input, telnet))
        {
            var (output, outcome) = run(new EchoScanner(telnet));
            Assert.True(expected.AsSpan().SequenceEqual(output),
                $"{how}: expected {Convert.ToHexString(expected)}, got {Convert.ToHexString(output)}");
            Assert.True(expectedOutcome == outcome, $"{how}: expected {expectedOutcome}, got {outcome}");
        }
    }

    [Fact]
    public void Pure_mode_echoes_random_bytes_exactly_across_random_segments()
    {
        var random = new Random(862);
        for (var round = 0; round < 200; round++)
        {
            var data = new byte[random.Next(0, 5000)];
            random.NextBytes(data);
            var cuts = Enumerable.Range(0, random.Next(0, 6)).Select(_ => random.Next(0, data.Length + 1)).ToArray();
            var output = new ArrayBufferWriter<byte>();

            var outcome = new EchoScanner(telnet: false).Scan(Segments.Of(Segments.Split(data, cuts)), output);

            Assert.Equal(ScanOutcome.Continue, outcome);
            Assert.True(data.AsSpan().SequenceEqual(output.WrittenSpan), $"round {round}");
        }
    }

    [Fact]
    public void Pure_mode_ignores_quit_and_telnet_bytes()
    {
        byte[] data = [.. "quit\r\n"u8, Iac, Ip, Iac, Do, 6];
        AssertEverySplit(data, data, ScanOutcome.Continue, telnet: false);
    }

    [Fact]
    public void Telnet_mode_echoes_text_without_waiting_for_a_newline()
    {
        AssertEverySplit("hola"u8.ToArray(), "hola"u8.ToArray(), ScanOutcome.Continue);
    }

    [Fact]
    public void Telnet_mode_echoes_random_bytes_without_0xFF_exactly()
    {
        var random = new Random(854);
        for (var round = 0; round < 200; round++)
        {
            var data = new byte[random.Next(0, 3000)];
            random.NextBytes(data);
            data.AsSpan().Replace(Iac, (byte)'x');
            var cuts = Enumerable.Range(0, random.Next(0, 6)).Select(_ => random.Next(0, data.Length + 1)).ToArray();
            var output = new ArrayBufferWriter<byte>();

            // "quit" could appear by chance in random data; a line that is exactly quit is vanishingly unlikely.
            var outcome = new EchoScanner(telnet: true).Scan(Segments.Of(Segments.Split(data, cuts)), output);

            Assert.Equal(ScanOutcome.Continue, outcome);
            Assert.True(data.AsSpan().SequenceEqual(output.WrittenSpan), $"round {round}");
        }
    }

    [Theory]
    [InlineData("quit\n")]
    [InlineData("quit\r\n")]
    [InlineData("quit\r\0")]
    public void A_quit_line_in_every_line_ending_form_is_echoed_and_ends_the_session(string line)
    {
        var input = Encoding.ASCII.GetBytes(line);
        AssertEverySplit(input, input, ScanOutcome.Quit);
    }

    [Fact]
    public void Bytes_before_quit_are_echoed_and_bytes_after_it_are_not()
    {
        AssertEverySplit("hello\r\nquit\r\nafter"u8.ToArray(), "hello\r\nquit\r\n"u8.ToArray(), ScanOutcome.Quit);
    }

    [Theory]
    [InlineData("quit")]
    [InlineData("quitx\n")]
    [InlineData("xquit\n")]
    [InlineData(" quit\n")]
    [InlineData("QUIT\n")]
    [InlineData("qui\n")]
    [InlineData("quit\rx")]
    [InlineData("quit\r\r\n")]
    public void Anything_but_exactly_quit_is_just_echoed(string text)
    {
        var input = Encoding.ASCII.GetBytes(text);
        AssertEverySplit(input, input, ScanOutcome.Continue);
    }

    [Fact]
    public void Quit_is_recognised_on_a_later_line_after_a_bare_CR()
    {
        AssertEverySplit("abc\rquit\n"u8.ToArray(), "abc\rquit\n"u8.ToArray(), ScanOutcome.Quit);
    }

    [Fact]
    public void Option_requests_are_refused_except_timing_mark()
    {
        // DO ECHO, WILL TERMINAL-TYPE, DONT 1, WONT 1, DO TIMING-MARK, with text around them.
        byte[] input = [(byte)'a', Iac, Do, 1, Iac, Will, 24, (byte)'b', Iac, Dont, 1, Iac, Wont, 1, Iac, Do, 6, (byte)'c'];
        byte[] expected = [(byte)'a', Iac, Wont, 1, Iac, Dont, 24, (byte)'b', Iac, Will, 6, (byte)'c'];
        AssertEverySplit(input, expected, ScanOutcome.Continue);
    }

    [Fact]
    public void IAC_IAC_is_a_literal_0xFF_echoed_doubled()
    {
        byte[] input = [(byte)'a', Iac, Iac, (byte)'b', Iac, Iac];
        AssertEverySplit(input, input, ScanOutcome.Continue);
    }

    [Fact]
    public void A_0xFF_before_a_non_command_byte_comes_back_exactly()
    {
        byte[] input = [Iac, 0x41, Iac, 0x00, Iac, 0xEF, (byte)'z'];
        AssertEverySplit(input, input, ScanOutcome.Continue);
    }

    [Fact]
    public void Subnegotiation_is_skipped_including_escaped_IAC_inside_it()
    {
        // IAC SB NAWS 0 80 IAC IAC 24 IAC SE, then text.
        byte[] input = [(byte)'x', Iac, Sb, 31, 0, 80, Iac, Iac, 24, Iac, Se, (byte)'y'];
        AssertEverySplit(input, "xy"u8.ToArray(), ScanOutcome.Continue);
    }

    [Fact]
    public void Other_commands_are_never_echoed()
    {
        // NOP, DM, BRK, AO, AYT, EC, EL, GA and a stray SE.
        byte[] input = [(byte)'1', Iac, 241, Iac, 242, Iac, 243, Iac, 245, Iac, 246, Iac, 247, Iac, 248, Iac, 249, Iac, Se, (byte)'2'];
        AssertEverySplit(input, "12"u8.ToArray(), ScanOutcome.Continue);
    }

    [Fact]
    public void Ctrl_C_as_Debian_telnet_sends_it_interrupts()
    {
        // What `telnet` sends on Ctrl+C: IAC IP IAC DO TIMING-MARK.
        byte[] input = [(byte)'h', (byte)'i', Iac, Ip, Iac, Do, 6];
        AssertEverySplit(input, "hi"u8.ToArray(), ScanOutcome.Interrupt);
    }

    [Fact]
    public void Debian_telnet_opening_negotiation_is_refused_and_never_echoed()
    {
        // telnet in line mode with `mode character` typing: DO SGA, WILL TTYPE, WILL NAWS, WILL TSPEED, WILL LFLOW, WILL LINEMODE, WILL NEW-ENVIRON, DO STATUS.
        byte[] input = [Iac, Do, 3, Iac, Will, 24, Iac, Will, 31, Iac, Will, 32, Iac, Will, 33, Iac, Will, 34, Iac, Will, 39, Iac, Do, 5, .. "hi\r\n"u8];
        byte[] expected = [Iac, Wont, 3, Iac, Dont, 24, Iac, Dont, 31, Iac, Dont, 32, Iac, Dont, 33, Iac, Dont, 34, Iac, Dont, 39, Iac, Wont, 5, .. "hi\r\n"u8];
        AssertEverySplit(input, expected, ScanOutcome.Continue);
    }

    [Fact]
    public void Invalid_UTF8_and_NUL_bytes_come_back_exactly()
    {
        byte[] input = [0x00, 0xC3, 0x28, 0xE2, 0x82, 0x00, 0xF0, 0x9F, 0x98, (byte)'\n', 0x80, 0xBF];
        AssertEverySplit(input, input, ScanOutcome.Continue);
    }

    [Fact]
    public void Lines_are_counted_once_per_ending_across_reads()
    {
        var scanner = new EchoScanner(telnet: true);
        Scan(scanner, "a\nb\r"u8.ToArray(), "\nc\r\0d\re"u8.ToArray());
        Assert.Equal(4, scanner.Lines);

        var pure = new EchoScanner(telnet: false);
        Scan(pure, "a\nb\n"u8.ToArray(), "\n"u8.ToArray());
        Assert.Equal(3, pure.Lines);
    }

    [Fact]
    public void State_carries_across_reads_for_a_quit_split_byte_by_byte()
    {
        var scanner = new EchoScanner(telnet: true);
        var reads = "quit\r\n"u8.ToArray().Select(b => new[] { b }).ToArray();
        var (output, outcome) = Scan(scanner, reads);
        Assert.Equal(ScanOutcome.Quit, outcome);
        Assert.Equal("quit\r\n"u8.ToArray(), output);
    }
}
