using System.Globalization;

namespace OnSram.Accelerator.Memory;

/// <summary>
/// Address-level allocator of the scratchpad: blocks have offsets, sizes are rounded up to the alignment,
/// placement is best fit (the smallest free block that is large enough, lowest offset on ties) and freeing
/// coalesces with neighbouring free blocks. Because placement is by address, an allocation can fail from
/// fragmentation while enough bytes are free in total; such failures are counted.
/// Not thread-safe; allocation-free after warm-up.
/// </summary>
public sealed class Scratchpad
{
    private long[] _freeOffsets = new long[16];
    private long[] _freeSizes = new long[16];
    private int _freeCount;
    private readonly Dictionary<long, long> _allocated = new();

    /// <summary>Creates an empty scratchpad of <paramref name="capacityBytes"/> bytes.</summary>
    public Scratchpad(long capacityBytes, long alignmentBytes)
    {
        if (alignmentBytes <= 0 || (alignmentBytes & (alignmentBytes - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(alignmentBytes), alignmentBytes, "alignment must be a positive power of two");
        }
        if (capacityBytes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacityBytes), capacityBytes, "capacity must be >= 0");
        }
        Alignment = alignmentBytes;
        // Only whole alignment units are usable.
        Capacity = capacityBytes & ~(alignmentBytes - 1);
        Reset();
    }

    /// <summary>Usable capacity (the configured capacity rounded down to the alignment).</summary>
    public long Capacity { get; }

    /// <summary>Allocation granularity.</summary>
    public long Alignment { get; }

    /// <summary>Bytes in allocated blocks (aligned sizes).</summary>
    public long UsedBytes { get; private set; }

    /// <summary>Bytes not allocated.</summary>
    public long FreeBytes => Capacity - UsedBytes;

    /// <summary>Fraction of the capacity allocated, in [0, 1].</summary>
    public double Occupancy => Capacity == 0 ? 0 : (double)UsedBytes / Capacity;

    /// <summary>Number of allocated blocks.</summary>
    public int AllocatedBlocks => _allocated.Count;

    /// <summary>Number of free blocks (1 when empty, more when fragmented).</summary>
    public int FreeBlocks => _freeCount;

    /// <summary>Allocations that failed although <see cref="FreeBytes"/> sufficed (no contiguous block).</summary>
    public long FragmentationFailures { get; private set; }

    /// <summary>Allocations that failed for any reason (lack of bytes or fragmentation).</summary>
    public long FailedAllocations { get; private set; }

    /// <summary>Size of the largest free block.</summary>
    public long LargestFreeBlock
    {
        get
        {
            long max = 0;
            for (var i = 0; i < _freeCount; i++)
            {
                if (_freeSizes[i] > max)
                {
                    max = _freeSizes[i];
                }
            }
            return max;
        }
    }

    /// <summary>The block size an allocation of <paramref name="bytes"/> takes (rounded up; at least one unit;
    /// <see cref="long.MaxValue"/> when rounding up would overflow).</summary>
    public long AlignedSize(long bytes)
    {
        if (bytes <= 0)
        {
            return Alignment;
        }
        if (bytes > long.MaxValue - (Alignment - 1))
        {
            // Rounding up would overflow into a negative size that every free block "fits". No block can
            // hold this many bytes (the capacity is whole alignment units, below long.MaxValue), so the
            // saturated size stands for it and the allocation fails.
            return long.MaxValue;
        }
        return (bytes + Alignment - 1) & ~(Alignment - 1);
    }

    /// <summary>True when an allocation of <paramref name="bytes"/> would succeed now (nothing is counted).</summary>
    public bool CanAllocate(long bytes) => FindBestFit(AlignedSize(bytes)) >= 0;

    /// <summary>
    /// Allocates a block for <paramref name="bytes"/>; on failure returns false, counts the failure and, when
    /// the free bytes sufficed, counts a fragmentation failure.
    /// </summary>
    public bool TryAllocate(long bytes, out long offset)
    {
        var size = AlignedSize(bytes);
        var i = FindBestFit(size);
        if (i < 0)
        {
            FailedAllocations++;
            if (FreeBytes >= size)
            {
                FragmentationFailures++;
            }
            offset = -1;
            return false;
        }
        offset = _freeOffsets[i];
        if (_freeSizes[i] == size)
        {
            RemoveFreeAt(i);
        }
        else
        {
            _freeOffsets[i] += size;
            _freeSizes[i] -= size;
        }
        _allocated.Add(offset, size);
        UsedBytes += size;
        return true;
    }

    /// <summary>Size of the allocated block at <paramref name="offset"/>, or -1 when none starts there.</summary>
    public long BlockSize(long offset) => _allocated.TryGetValue(offset, out var s) ? s : -1;

    /// <summary>Frees the block at <paramref name="offset"/>, coalescing with free neighbours.</summary>
    public void Free(long offset)
    {
        if (!_allocated.Remove(offset, out var size))
        {
            throw new InvalidOperationException($"no allocated scratchpad block starts at offset {offset.ToString(CultureInfo.InvariantCulture)}");
        }
        UsedBytes -= size;
        // Position of the first free block after the freed one.
        int lo = 0, hi = _freeCount;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_freeOffsets[mid] < offset)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        var mergePrev = lo > 0 && _freeOffsets[lo - 1] + _freeSizes[lo - 1] == offset;
        var mergeNext = lo < _freeCount && offset + size == _freeOffsets[lo];
        if (mergePrev && mergeNext)
        {
            _freeSizes[lo - 1] += size + _freeSizes[lo];
            RemoveFreeAt(lo);
        }
        else if (mergePrev)
        {
            _freeSizes[lo - 1] += size;
        }
        else if (mergeNext)
        {
            _freeOffsets[lo] = offset;
            _freeSizes[lo] += size;
        }
        else
        {
            InsertFreeAt(lo, offset, size);
        }
    }

    /// <summary>Frees every block (counters are kept).</summary>
    public void Reset()
    {
        _allocated.Clear();
        UsedBytes = 0;
        _freeCount = 0;
        if (Capacity > 0)
        {
            InsertFreeAt(0, 0, Capacity);
        }
    }

    /// <summary>The free blocks as (offset, size), by increasing offset (for tests and diagnostics).</summary>
    public IReadOnlyList<(long Offset, long Size)> FreeBlockList()
    {
        var list = new (long, long)[_freeCount];
        for (var i = 0; i < _freeCount; i++)
        {
            list[i] = (_freeOffsets[i], _freeSizes[i]);
        }
        return list;
    }

    /// <summary>The allocated blocks as (offset, size), by increasing offset (for tests and diagnostics).</summary>
    public IReadOnlyList<(long Offset, long Size)> AllocatedBlockList() =>
        _allocated.Select(kv => (kv.Key, kv.Value)).OrderBy(b => b.Key).ToArray();

    private int FindBestFit(long size)
    {
        var best = -1;
        var bestSize = long.MaxValue;
        for (var i = 0; i < _freeCount; i++)
        {
            var s = _freeSizes[i];
            if (s >= size && s < bestSize)
            {
                best = i;
                bestSize = s;
                if (s == size)
                {
                    break;
                }
            }
        }
        return best;
    }

    private void RemoveFreeAt(int i)
    {
        var tail = _freeCount - i - 1;
        if (tail > 0)
        {
            Array.Copy(_freeOffsets, i + 1, _freeOffsets, i, tail);
            Array.Copy(_freeSizes, i + 1, _freeSizes, i, tail);
        }
        _freeCount--;
    }

    private void InsertFreeAt(int i, long offset, long size)
    {
        if (_freeCount == _freeOffsets.Length)
        {
            Array.Resize(ref _freeOffsets, _freeCount * 2);
            Array.Resize(ref _freeSizes, _freeCount * 2);
        }
        var tail = _freeCount - i;
        if (tail > 0)
        {
            Array.Copy(_freeOffsets, i, _freeOffsets, i + 1, tail);
            Array.Copy(_freeSizes, i, _freeSizes, i + 1, tail);
        }
        _freeOffsets[i] = offset;
        _freeSizes[i] = size;
        _freeCount++;
    }
}
