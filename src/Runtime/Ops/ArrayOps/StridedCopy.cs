using System.Runtime.InteropServices;

namespace OnSram.Runtime.Ops.ArrayOps;

/// <summary>
/// The one data-movement kernel behind the array ops: copies an n-dimensional strided block of
/// elements from one buffer to another, on raw element bytes, so every dtype works. Offsets and
/// strides are in elements and may be negative (reverse slices, mirror padding).
/// </summary>
internal static class StridedCopy
{
    /// <summary>
    /// For every multi-index k within <paramref name="dims"/>:
    /// <c>dst[dstOffset + Σ k·dstStrides] = src[srcOffset + Σ k·srcStrides]</c>.
    /// </summary>
    public static void Copy(
        ReadOnlySpan<byte> src, long srcOffset, ReadOnlySpan<long> srcStrides,
        Span<byte> dst, long dstOffset, ReadOnlySpan<long> dstStrides,
        ReadOnlySpan<long> dims, int elementSize)
    {
        var rank = dims.Length;
        var d = new long[Math.Max(rank, 1)];
        var ss = new long[d.Length];
        var ds = new long[d.Length];
        var n = Collapse(srcStrides, dstStrides, dims, d, ss, ds);
        if (n < 0)
        {
            return; // a zero-sized dimension: nothing to copy
        }
        var cd = d.AsSpan(0, n);
        var css = ss.AsSpan(0, n);
        var cds = ds.AsSpan(0, n);
        switch (elementSize)
        {
            case 1: Run(src, srcOffset, css, dst, dstOffset, cds, cd); break;
            case 2: Run(MemoryMarshal.Cast<byte, ushort>(src), srcOffset, css, MemoryMarshal.Cast<byte, ushort>(dst), dstOffset, cds, cd); break;
            case 4: Run(MemoryMarshal.Cast<byte, uint>(src), srcOffset, css, MemoryMarshal.Cast<byte, uint>(dst), dstOffset, cds, cd); break;
            case 8: Run(MemoryMarshal.Cast<byte, ulong>(src), srcOffset, css, MemoryMarshal.Cast<byte, ulong>(dst), dstOffset, cds, cd); break;
            default: throw new ArgumentOutOfRangeException(nameof(elementSize), elementSize, "element size must be 1, 2, 4 or 8 bytes");
        }
    }

    /// <summary>Fills <paramref name="dst"/> with copies of one element given as raw bytes.</summary>
    public static void Fill(Span<byte> dst, ReadOnlySpan<byte> element)
    {
        switch (element.Length)
        {
            case 1: dst.Fill(element[0]); break;
            case 2: MemoryMarshal.Cast<byte, ushort>(dst).Fill(MemoryMarshal.Read<ushort>(element)); break;
            case 4: MemoryMarshal.Cast<byte, uint>(dst).Fill(MemoryMarshal.Read<uint>(element)); break;
            case 8: MemoryMarshal.Cast<byte, ulong>(dst).Fill(MemoryMarshal.Read<ulong>(element)); break;
            default: throw new ArgumentOutOfRangeException(nameof(element), element.Length, "element size must be 1, 2, 4 or 8 bytes");
        }
    }

    /// <summary>Row-major (contiguous) strides of <paramref name="dims"/>, in elements.</summary>
    public static long[] Contiguous(ReadOnlySpan<long> dims)
    {
        var s = new long[dims.Length];
        long acc = 1;
        for (var i = dims.Length - 1; i >= 0; i--)
        {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    /// <summary>
    /// Drops size-1 dimensions and merges neighbours that are contiguous in both buffers, so the inner
    /// loop runs as long as possible (often one block copy). Returns the collapsed rank, or -1 when a
    /// dimension is zero.
    /// </summary>
    private static int Collapse(ReadOnlySpan<long> srcStrides, ReadOnlySpan<long> dstStrides, ReadOnlySpan<long> dims,
        Span<long> d, Span<long> ss, Span<long> ds)
    {
        var n = 0;
        for (var i = 0; i < dims.Length; i++)
        {
            if (dims[i] == 0)
            {
                return -1;
            }
            if (dims[i] == 1)
            {
                continue;
            }
            if (n > 0 && ss[n - 1] == srcStrides[i] * dims[i] && ds[n - 1] == dstStrides[i] * dims[i])
            {
                d[n - 1] *= dims[i];
                ss[n - 1] = srcStrides[i];
                ds[n - 1] = dstStrides[i];
                continue;
            }
            d[n] = dims[i];
            ss[n] = srcStrides[i];
            ds[n] = dstStrides[i];
            n++;
        }
        if (n == 0)
        {
            d[0] = 1;
            ss[0] = 1;
            ds[0] = 1;
            n = 1;
        }
        return n;
    }

    private static void Run<T>(ReadOnlySpan<T> src, long srcOffset, ReadOnlySpan<long> srcStrides,
        Span<T> dst, long dstOffset, ReadOnlySpan<long> dstStrides, ReadOnlySpan<long> dims) where T : unmanaged
    {
        var rank = dims.Length;
        var inner = (int)dims[rank - 1];
        var si = srcStrides[rank - 1];
        var di = dstStrides[rank - 1];
        Span<long> index = rank <= 16 ? stackalloc long[rank] : new long[rank];
        index.Clear();
        var so = srcOffset;
        var dO = dstOffset;
        while (true)
        {
            if (si == 1 && di == 1)
            {
                src.Slice((int)so, inner).CopyTo(dst.Slice((int)dO, inner));
            }
            else
            {
                var s = so;
                var o = dO;
                for (var j = 0; j < inner; j++)
                {
                    dst[(int)o] = src[(int)s];
                    s += si;
                    o += di;
                }
            }
            var k = rank - 2;
            for (; k >= 0; k--)
            {
                index[k]++;
                so += srcStrides[k];
                dO += dstStrides[k];
                if (index[k] < dims[k])
                {
                    break;
                }
                so -= srcStrides[k] * dims[k];
                dO -= dstStrides[k] * dims[k];
                index[k] = 0;
            }
            if (k < 0)
            {
                return;
            }
        }
    }
}
