using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading.Channels;
using EchoBridge.Bridge;
using EchoBridge.Sessions;
using EchoBridge.Tests.Infrastructure;
using Xunit.Abstractions;

namespace EchoBridge.Tests.Bridge;

[CollectionDefinition(nameof(TlsPumpAllocationTests), DisableParallelization = true)]
public sealed class TlsPumpAllocationCollection;

/// <summary>
/// The bridge pump and send allocate no object per message, over plain TCP and over TLS: 10,000 round trips of 64 B
/// through a <see cref="BridgeSession"/> to an echo server, each sent when the sink has the last one's echo. Runs
/// alone: the allocation count is the whole process's.
/// </summary>
[Collection(nameof(TlsPumpAllocationTests))]
public sealed class TlsPumpAllocationTests(ITestOutputHelper output)
{
    private const int Warmup = 1_000, Measured = 10_000, MessageBytes = 64;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_round_trip_through_the_pump_allocates_no_object(bool tls)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(listener.LocalEndPoint!).Within();
        using var accepted = await listener.AcceptAsync().Within();
        accepted.NoDelay = true;
        await using var serverStream = new NetworkStream(accepted, ownsSocket: false);
        SslStream? clientTls = null;
        Stream server = serverStream;
        if (tls)
        {
            using var certificate = TestCertificates.SelfSigned();
            var serverTls = new SslStream(serverStream);
            clientTls = new SslStream(new NetworkStream(client, ownsSocket: true), false, (_, _, _, _) => true);
            await Task.WhenAll(
                serverTls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }),
                clientTls.AuthenticateAsClientAsync("localhost")).Within();
            server = serverTls;
        }

        var echoing = EchoAsync(server);
        var target = new BridgeTarget("lab", "", listener.LocalEndPoint!) { TlsHost = tls ? "localhost" : null };
        var session = new BridgeSession("b1", "test", BridgeVia.Hub, target, new TargetConnection(client, clientTls), null, TimeProvider.System);
        var sink = new PingPongSink(session, new byte[MessageBytes]);
        session.Start(sink);

        await sink.RunAsync(Warmup);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        await sink.RunAsync(Measured);
        clock.Stop();
        var perRoundTrip = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)Measured;
        await session.CloseAsync(CloseReason.ClientClosed).Within();
        await server.DisposeAsync();
        await echoing.Within();

        output.WriteLine($"{(tls ? "TLS" : "TCP")}: {perRoundTrip:0.0} B allocated and {clock.Elapsed.TotalMicroseconds / Measured:0.0} µs per {MessageBytes} B round trip");
        // Measured: TCP 0-5 B (noise); TLS 0-80 B, depending on how warm ArrayPool.Shared is: at worst a 32 KB array
        // every ~450 round trips, SslStream's own read buffer, rented and returned around reads on changing threads.
        // One state machine or task per message (100+ B) fails either bound.
        Assert.True(perRoundTrip < (tls ? 128 : 32), $"{perRoundTrip:0.0} bytes allocated per round trip");
    }

    private static async Task EchoAsync(Stream stream)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, read));
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The session closed.
        }
    }

    // The sender waits for each echo on a single-reader channel (allocation-free), as a hub client waits for its frames.
    private sealed class PingPongSink(BridgeSession session, byte[] message) : IBridgeSink
    {
        private readonly Channel<int> _echoes = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        private int _pending;

        public async Task RunAsync(int roundTrips)
        {
            var run = RoundTripsAsync(roundTrips);
            var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30)));
            Assert.True(finished == run, $"stuck with {_pending} bytes pending, session ended: {session.EndReason}");
            await run;
            Assert.True(session.EndReason is null, $"the session ended early: {session.EndReason}");
        }

        public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            _pending -= data.Length;
            if (_pending <= 0)
            {
                _echoes.Writer.TryWrite(0);
            }

            return ValueTask.CompletedTask;
        }

        public void Complete() => _echoes.Writer.TryComplete();

        private async Task RoundTripsAsync(int roundTrips)
        {
            for (var i = 0; i < roundTrips; i++)
            {
                _pending = message.Length;
                await session.SendAsync(message, CancellationToken.None);
                await _echoes.Reader.ReadAsync();
            }
        }
    }
}
