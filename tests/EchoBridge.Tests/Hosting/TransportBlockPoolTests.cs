using System.Buffers;
using System.Reflection;
using System.Runtime.InteropServices;
using EchoBridge.Hosting;
using EchoBridge.Listener;
using EchoBridge.Tests.Infrastructure;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EchoBridge.Tests.Hosting;

public sealed class TransportBlockPoolTests
{
    [Fact]
    public void Every_block_is_64_KiB_whatever_size_is_asked_for()
    {
        using var pool = new TransportBlockPool(new TransportBlockUse());

        foreach (var asked in new[] { -1, 1, 2048, 4096, TransportBlockPool.BlockSize })
        {
            using var block = pool.Rent(asked);
            Assert.Equal(TransportBlockPool.BlockSize, block.Memory.Length);
        }

        Assert.Equal(TransportBlockPool.BlockSize, pool.MaxBufferSize);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(TransportBlockPool.BlockSize + 1));
    }

    [Fact]
    public void A_returned_block_is_reused_and_only_so_many_idle_blocks_are_kept()
    {
        using var pool = new TransportBlockPool(new TransportBlockUse());
        var first = pool.Rent();
        first.Dispose();
        Assert.Same(first, pool.Rent());

        var many = Enumerable.Range(0, TransportBlockPool.MaxRetained + 10).Select(_ => pool.Rent()).ToList();
        many.ForEach(block => block.Dispose());
        var again = Enumerable.Range(0, TransportBlockPool.MaxRetained + 10).Select(_ => pool.Rent()).ToList();

        Assert.Equal(TransportBlockPool.MaxRetained, again.Count(many.Contains));
    }

    [Fact]
    public async Task The_echo_transport_reads_a_48_KiB_message_in_a_few_reads_not_a_dozen()
    {
        Assert.True(EchoTransport.UsesLargeBlocks, "Kestrel's SocketConnectionFactoryOptions no longer takes a memory pool factory");
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Listener:Telnet"] = "false" });

        var session = await EchoOneMessageAsync(host, 48 * 1024);

        // With Kestrel's 4 KiB blocks this took at least 12 reads; a 64 KiB block takes it in one (TCP may split it once or twice).
        Assert.InRange(session.MessagesIn, 1, 3);
    }

    [Fact]
    public async Task Kestrels_HTTP_transport_reads_into_the_64_KiB_blocks_too()
    {
        await using var host = await TestHost.StartAsync();

        // The transport reads its pool factory from an internal property that the container's factory is copied to.
        var transport = host.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value;
        var factory = typeof(SocketTransportOptions).GetProperty("MemoryPoolFactory", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(transport);
        var pool = Assert.IsType<TransportBlockPoolFactory>(factory).Create();
        using var block = pool.Rent(1);

        Assert.Equal(TransportBlockPool.BlockSize, block.Memory.Length);
        // A response spans blocks, and Kestrel's gathered send takes several blocks only as arrays.
        Assert.True(MemoryMarshal.TryGetArray<byte>(block.Memory, out var array) && array.Count == TransportBlockPool.BlockSize);
    }

    [Fact]
    public async Task An_HTTP_response_of_several_blocks_arrives_whole()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Listener:Telnet"] = "false" });
        const int size = 200 * 1024;
        var session = await EchoOneMessageAsync(host, size);
        using var http = new HttpClient();

        // The session's capture as pcapng: over 400 KiB, written in pieces that span several 64 KiB blocks.
        var capture = await http.GetByteArrayAsync(new Uri(host.Http, $"/api/sessions/{session.Id}/capture.pcapng")).Within();

        Assert.True(capture.Length > 2 * size, $"the whole capture came ({capture.Length} bytes)");
    }

    [Fact]
    public void A_block_beyond_those_kept_goes_back_to_the_kernel_and_is_counted_out()
    {
        using var pool = new TransportBlockPool(new TransportBlockUse());
        var blocks = Enumerable.Range(0, TransportBlockPool.MaxRetained + 4).Select(_ => pool.Rent()).ToList();
        Assert.Equal(blocks.Count, pool.BlocksInUse);
        blocks.ForEach(block => block.Memory.Span.Fill(0xAB)); // the memory is really there to write

        blocks.ForEach(block => block.Dispose());
        blocks[0].Dispose(); // a second dispose is harmless

        Assert.Equal(0, pool.BlocksInUse);
    }

    // Echoes one random message of size bytes over TCP and returns the listener session it made.
    private static async Task<EchoBridge.Sessions.Session> EchoOneMessageAsync(TestHost host, int size)
    {
        using var client = await EchoClient.ConnectAsync(host.Tcp);
        var message = new byte[size];
        Random.Shared.NextBytes(message);

        await client.SendAsync(message);
        Assert.Equal(message, await client.ReceiveExactlyAsync(message.Length));
        return Assert.Single(host.Registry.Sessions);
    }
}
