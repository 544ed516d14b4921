using System.Buffers;
using EchoBridge.Listener;
using EchoBridge.Tests.Infrastructure;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace EchoBridge.Tests.Listener;

public sealed class TransportBlockPoolTests
{
    [Fact]
    public void Every_block_is_64_KiB_whatever_size_is_asked_for()
    {
        using var pool = new TransportBlockPool();

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
        using var pool = new TransportBlockPool();
        var first = pool.Rent();
        first.Dispose();
        Assert.Same(first, pool.Rent());

        var many = Enumerable.Range(0, TransportBlockPool.MaxRetained + 10).Select(_ => pool.Rent()).ToList();
        many.ForEach(block => block.Dispose());
        var again = Enumerable.Range(0, TransportBlockPool.MaxRetained + 10).Select(_ => pool.Rent()).ToList();

        Assert.Equal(TransportBlockPool.MaxRetained, again.Count(many.Contains));
    }

    [Fact]
    public async Task Kestrels_socket_transport_is_handed_the_large_block_pool()
    {
        await using var host = await TestHost.StartAsync();

        var factory = host.Services.GetRequiredService<IMemoryPoolFactory<byte>>();

        Assert.IsType<TransportBlockPoolFactory>(factory);
        using var pool = factory.Create(new MemoryPoolOptions());
        Assert.Equal(TransportBlockPool.BlockSize, pool.MaxBufferSize);
    }
}
