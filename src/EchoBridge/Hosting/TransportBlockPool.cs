using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Connections;

namespace EchoBridge.Hosting;

/// <summary>
/// The memory a socket transport (the echo listener's, and Kestrel's for HTTP) reads into and writes from, in blocks
/// of <see cref="BlockSize"/> bytes instead of Kestrel's 4 KiB. A socket read fills at most one block and each read is
/// handed on with one flush, so with 4 KiB blocks a 16 KiB message cost four reads (and, relayed, four sends); with
/// these it costs one of each.
/// </summary>
/// <remarks>
/// The echo's blocks are native memory mapped one by one, so a block that is not kept for reuse goes back to the
/// kernel at once: after a thousand stalled clients leave, the process's memory falls back without waiting for a full
/// GC (pinned managed blocks stayed resident until one). The echo never sends more than one block at once; HTTP does
/// (a response spans blocks), and Kestrel's gathered send wants arrays, so HTTP's blocks are pinned arrays
/// (<paramref name="arrays"/>). An idle connection holds no block: the transports wait for data before renting one.
/// Every pool counts its blocks in use into its transport's <see cref="TransportBlockUse"/>.
/// </remarks>
internal sealed class TransportBlockPool(TransportBlockUse use, bool arrays = false) : MemoryPool<byte>
{
    /// <summary>Bytes in a block: room for the largest loopback TCP segment (64 KiB) in one read.</summary>
    public const int BlockSize = 64 * 1024;

    /// <summary>Idle blocks kept for reuse per pool (one pool per transport I/O queue).</summary>
    public const int MaxRetained = 64;

    private readonly ConcurrentQueue<Block> _idle = new();
    private int _idleCount, _inUse;
    private volatile bool _disposed;

    /// <summary>Blocks of this pool rented and not yet returned.</summary>
    public int BlocksInUse => Volatile.Read(ref _inUse);

    public override int MaxBufferSize => BlockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        use.Add(1);
        Interlocked.Increment(ref _inUse);
        if (_idle.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _idleCount);
            block.Reuse();
            return block;
        }

        return new Block(this, arrays);
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        while (_idle.TryDequeue(out var block))
        {
            block.Free();
        }
    }

    private void Return(Block block)
    {
        use.Add(-1);
        Interlocked.Decrement(ref _inUse);
        if (!_disposed && Interlocked.Increment(ref _idleCount) <= MaxRetained)
        {
            _idle.Enqueue(block);
            return;
        }

        Interlocked.Decrement(ref _idleCount);
        block.Free();
    }

    /// <summary>One block of native memory; disposing it (the pipe does, when the bytes are consumed) returns it.</summary>
    /// <summary>One block: native memory, or an array on the pinned object heap.</summary>
    private sealed unsafe class Block : MemoryManager<byte>
    {
        private readonly TransportBlockPool _pool;
        private byte[]? _array;
        private byte* _pointer;
        private int _returned;

        public Block(TransportBlockPool pool, bool array)
        {
            _pool = pool;
            if (array)
            {
                _array = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);
                _pointer = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array));
            }
            else
            {
                _pointer = NativeBlocks.Allocate(BlockSize);
            }
        }

        public void Reuse() => _returned = 0;

        public override Span<byte> GetSpan() => new(_pointer, BlockSize);

        // Neither native memory nor a pinned array moves: pinning is a no-op.
        public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

        public override void Unpin()
        {
        }

        // What Kestrel's gathered send (several blocks in one sendmsg) needs.
        protected override bool TryGetArray(out ArraySegment<byte> segment)
        {
            segment = _array is null ? default : new ArraySegment<byte>(_array);
            return _array is not null;
        }

        public void Free()
        {
            if (_array is null)
            {
                NativeBlocks.Free(_pointer, BlockSize);
            }

            _array = null;
            _pointer = null;
        }

        protected override void Dispose(bool disposing)
        {
            if (Interlocked.Exchange(ref _returned, 1) == 0)
            {
                _pool.Return(this);
            }
        }
    }
}

/// <summary>
/// Page-aligned native blocks. On Linux each is its own anonymous mapping, so freeing it returns the pages to the
/// kernel at once (malloc would keep 64 KiB chunks in its heap); elsewhere the runtime's allocator.
/// </summary>
internal static unsafe partial class NativeBlocks
{
    private const int ProtReadWrite = 0x1 | 0x2;
    private const int MapPrivateAnonymous = 0x02 | 0x20;

    public static byte* Allocate(int size)
    {
        if (!OperatingSystem.IsLinux())
        {
            return (byte*)NativeMemory.Alloc((nuint)size);
        }

        var address = Mmap(0, (nuint)size, ProtReadWrite, MapPrivateAnonymous, -1, 0);
        if (address == -1)
        {
            throw new OutOfMemoryException($"mmap of a {size}-byte transport block failed (errno {Marshal.GetLastPInvokeError()})");
        }

        return (byte*)address;
    }

    public static void Free(byte* block, int size)
    {
        if (block is null)
        {
            return;
        }

        if (OperatingSystem.IsLinux())
        {
            _ = Munmap((nint)block, (nuint)size);
        }
        else
        {
            NativeMemory.Free(block);
        }
    }

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static partial int Munmap(nint address, nuint length);
}

/// <summary>The blocks one transport's pools have lent out, counted across them (one pool per I/O queue).</summary>
internal sealed class TransportBlockUse
{
    private long _blocks;

    /// <summary>Bytes held in blocks: what the transport's sockets have read and not yet consumed, or not yet sent.</summary>
    public long Bytes => Interlocked.Read(ref _blocks) * TransportBlockPool.BlockSize;

    public void Add(int blocks) => Interlocked.Add(ref _blocks, blocks);
}

/// <summary>
/// Hands a socket transport a <see cref="TransportBlockPool"/> for each of its I/O queues, all counted in
/// <paramref name="use"/>; of pinned arrays when <paramref name="arrays"/>.
/// </summary>
internal sealed class TransportBlockPoolFactory(TransportBlockUse use, bool arrays = false) : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new TransportBlockPool(use, arrays);
}
