using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace EchoBridge.Listener;

/// <summary>
/// The memory Kestrel's socket transport reads into and writes from, in blocks of <see cref="BlockSize"/> bytes instead
/// of Kestrel's 4 KiB. A socket read fills at most one block, and the echo answers each read with one flush, so with
/// 4 KiB blocks a 16 KiB message cost four reads and four sends; with these it costs one of each (README, Benchmarks).
/// Blocks are pinned (the socket engine pins whatever it reads into anyway) and reused; at most
/// <see cref="MaxRetained"/> idle blocks are kept, the rest are left to the garbage collector.
/// </summary>
/// <remarks>
/// A block is only rented while bytes are in flight: with Kestrel's default wait-for-data, an idle connection holds
/// none, so this does not change the memory of idle connections.
/// </remarks>
internal sealed class TransportBlockPool : MemoryPool<byte>
{
    /// <summary>Bytes in a block: room for the largest loopback TCP segment (64 KiB) in one read.</summary>
    public const int BlockSize = 64 * 1024;

    /// <summary>Idle blocks kept for reuse per pool (Kestrel makes a pool per listener and I/O queue).</summary>
    public const int MaxRetained = 16;

    private readonly ConcurrentQueue<Block> _idle = new();
    private int _idleCount;

    public override int MaxBufferSize => BlockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        if (_idle.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _idleCount);
            return block;
        }

        return new Block(this);
    }

    protected override void Dispose(bool disposing)
    {
        _idle.Clear();
    }

    private void Return(Block block)
    {
        if (Interlocked.Increment(ref _idleCount) <= MaxRetained)
        {
            _idle.Enqueue(block);
            return;
        }

        Interlocked.Decrement(ref _idleCount);
    }

    /// <summary>One block; disposing it (the pipe does, when the bytes are consumed) puts it back in the pool.</summary>
    private sealed class Block(TransportBlockPool pool) : IMemoryOwner<byte>
    {
        public Memory<byte> Memory { get; } = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);

        public void Dispose() => pool.Return(this);
    }
}

/// <summary>Hands Kestrel's socket transport a <see cref="TransportBlockPool"/> for each of its listeners.</summary>
internal sealed class TransportBlockPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new TransportBlockPool();
}
