using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OnSram.Runtime.Kernels;

/// <summary>
/// Single-precision matrix product C = A·B (or C += A·B), blocked for the cache hierarchy in the manner
/// of BLIS: B is packed once per column panel into <see cref="NR"/>-wide slivers, each worker packs
/// <see cref="MC"/>×<see cref="KC"/> blocks of A into <see cref="MR"/>-tall slivers, and a register-blocked
/// MR×NR micro-kernel (Vector256 + FMA where the CPU has them, a scalar loop elsewhere) accumulates in
/// registers. Large products run in parallel over row blocks (and column chunks when rows are few).
/// </summary>
internal static unsafe class Gemm
{
    /// <summary>Rows of the micro-kernel tile.</summary>
    public const int MR = 6;

    /// <summary>Columns of the micro-kernel tile (two Vector256 of float).</summary>
    public const int NR = 16;

    /// <summary>Depth of a packed block: an A sliver and a B sliver (KC×NR, 16 KB) stay in L1.</summary>
    public const int KC = 256;

    /// <summary>Rows of a packed A block (MC×KC floats, 96 KB, stays in L2).</summary>
    public const int MC = 96;

    /// <summary>Columns of a packed B panel.</summary>
    public const int NC = 4096;

    /// <summary>Most floats a packed B panel may take (16 MB): bounds the column panel width when K is deep.</summary>
    public const long BPackBudget = 1L << 22;

    /// <summary>Multiply-adds below which a product runs on the calling thread only.</summary>
    public const long ParallelThreshold = 1L << 20;

    /// <summary>Rows below which the unpacked row-by-row path is used (packing would not pay off).</summary>
    public const int SmallRows = 4;

    /// <summary>True when the Vector256 micro-kernel is used (hardware-accelerated 256-bit vectors).</summary>
    public static bool Vectorized { get; } = Vector256.IsHardwareAccelerated;

    /// <summary>
    /// Dense product of row-major matrices: C[m,n] = op(A)[m,k] · op(B)[k,n], op = transpose when the
    /// flag is set (then A is stored [k,m] with leading dimension <paramref name="lda"/>, likewise B).
    /// </summary>
    public static void Multiply(int m, int n, int k, float* a, long lda, bool transA, float* b, long ldb, bool transB,
        float* c, long ldc, bool accumulate = false, bool allowParallel = true)
    {
        var aRs = transA ? 1 : lda;
        var aCs = transA ? lda : 1;
        var bRs = transB ? 1 : ldb;
        var bCs = transB ? ldb : 1;
        if (m < SmallRows && m > 0 && n > 0 && k > 0)
        {
            MultiplySmallRows(m, n, k, a, aRs, aCs, b, bRs, bCs, c, ldc, accumulate, allowParallel);
            return;
        }
        Multiply(new StridedA(a, aRs, aCs), m, n, k, b, bRs, bCs, c, ldc, accumulate, allowParallel, Vectorized);
    }

    /// <summary>
    /// Span form of the dense product for callers without pointers: A is [m,k] ([k,m] when
    /// <paramref name="transA"/>), B is [k,n] ([n,k] when <paramref name="transB"/>), C is [m,n], all
    /// row-major and contiguous. <paramref name="vectorized"/> forces the packed path with the chosen
    /// micro-kernel (null: the normal dispatch, including the small-row path).
    /// </summary>
    public static void Multiply(int m, int n, int k, ReadOnlySpan<float> a, bool transA, ReadOnlySpan<float> b, bool transB,
        Span<float> c, bool accumulate = false, bool allowParallel = true, bool? vectorized = null)
    {
        if (a.Length < (long)m * k || b.Length < (long)k * n || c.Length < (long)m * n)
        {
            throw new ArgumentException($"spans too short for a [{m},{k}]x[{k},{n}] product");
        }
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            var lda = transA ? m : k;
            var ldb = transB ? k : n;
            if (vectorized is null)
            {
                Multiply(m, n, k, pa, lda, transA, pb, ldb, transB, pc, n, accumulate, allowParallel);
            }
            else
            {
                var av = new StridedA(pa, transA ? 1 : lda, transA ? lda : 1);
                Multiply(av, m, n, k, pb, transB ? 1 : ldb, transB ? ldb : 1, pc, n, accumulate, allowParallel, vectorized.Value);
            }
        }
    }

    /// <summary>
    /// C[m,n] (row stride <paramref name="ldc"/>) = A·B (+ C when <paramref name="accumulate"/>), with A
    /// given by its packing routine and B(p, j) at <c>b[p * bRowStride + j * bColStride]</c>.
    /// </summary>
    public static void Multiply<TA>(TA a, int m, int n, int k, float* b, long bRowStride, long bColStride,
        float* c, long ldc, bool accumulate, bool allowParallel, bool vectorized)
        where TA : struct, IGemmA
    {
        if (m <= 0 || n <= 0)
        {
            return;
        }
        if (k <= 0)
        {
            if (!accumulate)
            {
                for (var i = 0; i < m; i++)
                {
                    new Span<float>(c + i * ldc, n).Clear();
                }
            }
            return;
        }

        var panels = (k + KC - 1) / KC;
        var kcMax = (k + panels - 1) / panels; // equal depth blocks: no thin tail block
        var ncStep = (int)Math.Clamp(BPackBudget / k / NR * NR, NR, NC);
        var ncMax = Math.Min(n, ncStep);
        var slivers = (ncMax + NR - 1) / NR;
        var bPackArray = ArrayPool<float>.Shared.Rent(slivers * NR * k + 16);
        try
        {
            fixed (float* bPackRaw = bPackArray)
            {
                var bPack = Align64(bPackRaw);
                var bPackAddr = (nint)bPack;
                var mBlocks = (m + MC - 1) / MC;
                var workers = Environment.ProcessorCount;
                var parallel = allowParallel && workers > 1 && (long)m * n * k >= ParallelThreshold;
                for (var jc = 0; jc < n; jc += ncStep)
                {
                    var nc = Math.Min(ncStep, n - jc);
                    PackB(bPack, b + jc * bColStride, bRowStride, bColStride, k, nc);

                    var sliversHere = (nc + NR - 1) / NR;
                    var columnChunks = 1;
                    if (parallel && mBlocks < 2 * workers)
                    {
                        columnChunks = Math.Min(sliversHere, (2 * workers + mBlocks - 1) / mBlocks);
                    }
                    var sliversPerChunk = (sliversHere + columnChunks - 1) / columnChunks;
                    var items = mBlocks * columnChunks;
                    var cPanel = (nint)(c + jc);
                    var job = new BlockJob<TA>(a, m, nc, k, kcMax, bPackAddr, cPanel, ldc, accumulate, sliversPerChunk, columnChunks, vectorized);
                    if (parallel && items > 1)
                    {
                        Parallel.For(0, items, job.Run);
                    }
                    else
                    {
                        for (var item = 0; item < items; item++)
                        {
                            job.Run(item);
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(bPackArray);
        }
    }

    /// <summary>One (row block, column chunk) of a packed product: the per-worker part of the macro-kernel.</summary>
    private sealed class BlockJob<TA>(TA a, int m, int nc, int k, int kcMax, nint bPack, nint c, long ldc, bool accumulate,
        int sliversPerChunk, int columnChunks, bool vectorized)
        where TA : struct, IGemmA
    {
        public void Run(int item)
        {
            var block = item / columnChunks;
            var chunk = item - block * columnChunks;
            var i0 = block * MC;
            var mc = Math.Min(MC, m - i0);
            var j0 = chunk * sliversPerChunk * NR;
            if (j0 >= nc)
            {
                return;
            }
            var j1 = Math.Min(nc, j0 + sliversPerChunk * NR);
            var aPackArray = ArrayPool<float>.Shared.Rent(MC * kcMax + 16);
            try
            {
                fixed (float* aPackRaw = aPackArray)
                {
                    var aPack = Align64(aPackRaw);
                    var bp = (float*)bPack;
                    var cp = (float*)c;
                    for (var p0 = 0; p0 < k; p0 += kcMax)
                    {
                        var kc = Math.Min(kcMax, k - p0);
                        a.Pack(aPack, i0, mc, p0, kc);
                        var acc = accumulate || p0 > 0;
                        for (var j = j0; j < j1; j += NR)
                        {
                            var nr = Math.Min(NR, j1 - j);
                            var bSliver = bp + (long)(j / NR) * k * NR + (long)p0 * NR;
                            for (var i = 0; i < mc; i += MR)
                            {
                                var mr = Math.Min(MR, mc - i);
                                var cTile = cp + (i0 + i) * ldc + j;
                                Tile(kc, aPack + (long)i * kc, bSliver, cTile, ldc, acc, mr, nr, vectorized);
                            }
                        }
                    }
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(aPackArray);
            }
        }
    }

    /// <summary>Packs B[0..k, 0..nc) into NR-wide slivers: sliver s holds (p, j) at <c>[s*k*NR + p*NR + j]</c>, zero-padded.</summary>
    private static void PackB(float* dst, float* b, long rs, long cs, int k, int nc)
    {
        for (var j0 = 0; j0 < nc; j0 += NR)
        {
            var sliver = dst + (long)(j0 / NR) * k * NR;
            var valid = Math.Min(NR, nc - j0);
            if (cs == 1 && valid == NR)
            {
                for (var p = 0; p < k; p++)
                {
                    new ReadOnlySpan<float>(b + p * rs + j0, NR).CopyTo(new Span<float>(sliver + p * NR, NR));
                }
                continue;
            }
            for (var j = 0; j < NR; j++)
            {
                var d = sliver + j;
                if (j >= valid)
                {
                    for (var p = 0; p < k; p++)
                    {
                        d[p * NR] = 0f;
                    }
                    continue;
                }
                var src = b + (j0 + j) * cs;
                for (var p = 0; p < k; p++)
                {
                    d[p * NR] = src[p * rs];
                }
            }
        }
    }

    /// <summary>One MR×NR tile; partial tiles go through a stack tile so the kernel always runs full-width.</summary>
    private static void Tile(int kc, float* a, float* b, float* c, long ldc, bool accumulate, int mr, int nr, bool vectorized)
    {
        if (mr == MR && nr == NR)
        {
            if (vectorized)
            {
                KernelVector256(kc, a, b, c, ldc, accumulate);
            }
            else
            {
                KernelScalar(kc, a, b, c, ldc, accumulate);
            }
            return;
        }
        var tile = stackalloc float[MR * NR];
        if (vectorized)
        {
            KernelVector256(kc, a, b, tile, NR, false);
        }
        else
        {
            KernelScalar(kc, a, b, tile, NR, false);
        }
        for (var i = 0; i < mr; i++)
        {
            var dst = c + i * ldc;
            var src = tile + i * NR;
            if (accumulate)
            {
                for (var j = 0; j < nr; j++)
                {
                    dst[j] += src[j];
                }
            }
            else
            {
                for (var j = 0; j < nr; j++)
                {
                    dst[j] = src[j];
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MulAdd(Vector256<float> x, Vector256<float> y, Vector256<float> acc) =>
        Fma.IsSupported ? Fma.MultiplyAdd(x, y, acc) : acc + x * y;

    /// <summary>The 6×16 register-blocked micro-kernel: 12 Vector256 accumulators, A broadcast, B loaded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KernelVector256(int kc, float* a, float* b, float* c, long ldc, bool accumulate)
    {
        var c00 = Vector256<float>.Zero; var c01 = Vector256<float>.Zero;
        var c10 = Vector256<float>.Zero; var c11 = Vector256<float>.Zero;
        var c20 = Vector256<float>.Zero; var c21 = Vector256<float>.Zero;
        var c30 = Vector256<float>.Zero; var c31 = Vector256<float>.Zero;
        var c40 = Vector256<float>.Zero; var c41 = Vector256<float>.Zero;
        var c50 = Vector256<float>.Zero; var c51 = Vector256<float>.Zero;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var x = Vector256.Create(a[0]);
            c00 = MulAdd(x, b0, c00); c01 = MulAdd(x, b1, c01);
            x = Vector256.Create(a[1]);
            c10 = MulAdd(x, b0, c10); c11 = MulAdd(x, b1, c11);
            x = Vector256.Create(a[2]);
            c20 = MulAdd(x, b0, c20); c21 = MulAdd(x, b1, c21);
            x = Vector256.Create(a[3]);
            c30 = MulAdd(x, b0, c30); c31 = MulAdd(x, b1, c31);
            x = Vector256.Create(a[4]);
            c40 = MulAdd(x, b0, c40); c41 = MulAdd(x, b1, c41);
            x = Vector256.Create(a[5]);
            c50 = MulAdd(x, b0, c50); c51 = MulAdd(x, b1, c51);
            a += MR;
            b += NR;
        }
        if (accumulate)
        {
            c00 += Vector256.Load(c); c01 += Vector256.Load(c + 8); c += ldc;
            c10 += Vector256.Load(c); c11 += Vector256.Load(c + 8); c += ldc;
            c20 += Vector256.Load(c); c21 += Vector256.Load(c + 8); c += ldc;
            c30 += Vector256.Load(c); c31 += Vector256.Load(c + 8); c += ldc;
            c40 += Vector256.Load(c); c41 += Vector256.Load(c + 8); c += ldc;
            c50 += Vector256.Load(c); c51 += Vector256.Load(c + 8);
            c -= 5 * ldc;
        }
        c00.Store(c); c01.Store(c + 8); c += ldc;
        c10.Store(c); c11.Store(c + 8); c += ldc;
        c20.Store(c); c21.Store(c + 8); c += ldc;
        c30.Store(c); c31.Store(c + 8); c += ldc;
        c40.Store(c); c41.Store(c + 8); c += ldc;
        c50.Store(c); c51.Store(c + 8);
    }

    /// <summary>Portable micro-kernel for CPUs without accelerated 256-bit vectors.</summary>
    private static void KernelScalar(int kc, float* a, float* b, float* c, long ldc, bool accumulate)
    {
        var acc = stackalloc float[MR * NR];
        new Span<float>(acc, MR * NR).Clear();
        for (var p = 0; p < kc; p++)
        {
            for (var i = 0; i < MR; i++)
            {
                var x = a[i];
                var row = acc + i * NR;
                for (var j = 0; j < NR; j++)
                {
                    row[j] += x * b[j];
                }
            }
            a += MR;
            b += NR;
        }
        for (var i = 0; i < MR; i++)
        {
            var dst = c + i * ldc;
            var src = acc + i * NR;
            for (var j = 0; j < NR; j++)
            {
                dst[j] = accumulate ? dst[j] + src[j] : src[j];
            }
        }
    }

    /// <summary>
    /// Products with fewer than <see cref="SmallRows"/> rows (a dense layer at batch 1 is a vector-matrix
    /// product): row by row with vector primitives, reading B in place instead of packing it.
    /// </summary>
    private static void MultiplySmallRows(int m, int n, int k, float* a, long aRs, long aCs, float* b, long bRs, long bCs,
        float* c, long ldc, bool accumulate, bool allowParallel)
    {
        var chunks = 1;
        if (allowParallel && Environment.ProcessorCount > 1 && (long)m * n * k >= ParallelThreshold && n >= 2 * NR)
        {
            chunks = Math.Min(Environment.ProcessorCount, n / NR);
        }
        var per = ((n + chunks - 1) / chunks + NR - 1) / NR * NR;
        var job = new SmallRowsJob((nint)a, aRs, aCs, (nint)b, bRs, bCs, (nint)c, ldc, m, n, k, per, accumulate);
        if (chunks > 1)
        {
            Parallel.For(0, chunks, job.Run);
        }
        else
        {
            job.Run(0);
        }
    }

    private sealed class SmallRowsJob(nint a, long aRs, long aCs, nint b, long bRs, long bCs, nint c, long ldc,
        int m, int n, int k, int per, bool accumulate)
    {
        public void Run(int chunk)
        {
            var j0 = chunk * per;
            var j1 = Math.Min(n, j0 + per);
            if (j0 >= j1)
            {
                return;
            }
            var width = j1 - j0;
            var ap = (float*)a;
            var bp = (float*)b;
            var aRow = aCs == 1 ? null : new float[k];
            for (var i = 0; i < m; i++)
            {
                var cRow = new Span<float>((float*)c + i * ldc + j0, width);
                if (!accumulate)
                {
                    cRow.Clear();
                }
                ReadOnlySpan<float> x;
                if (aRow is null)
                {
                    x = new ReadOnlySpan<float>(ap + i * aRs, k);
                }
                else
                {
                    for (var p = 0; p < k; p++)
                    {
                        aRow[p] = ap[i * aRs + p * aCs];
                    }
                    x = aRow;
                }
                if (bCs == 1)
                {
                    // c_i += sum_p a_ip * B[p, :]: streams the rows of B once per row of A.
                    for (var p = 0; p < k; p++)
                    {
                        var bRow = new ReadOnlySpan<float>(bp + p * bRs + j0, width);
                        TensorPrimitives.MultiplyAdd(bRow, x[p], cRow, cRow);
                    }
                }
                else if (bRs == 1)
                {
                    // Bᵀ stored row-major: each output element is a dot product of two contiguous rows.
                    for (var j = 0; j < width; j++)
                    {
                        cRow[j] += TensorPrimitives.Dot(x, new ReadOnlySpan<float>(bp + (j0 + j) * bCs, k));
                    }
                }
                else
                {
                    for (var j = 0; j < width; j++)
                    {
                        var s = 0f;
                        for (var p = 0; p < k; p++)
                        {
                            s += x[p] * bp[p * bRs + (j0 + j) * bCs];
                        }
                        cRow[j] += s;
                    }
                }
            }
        }
    }

    private static float* Align64(float* p) => (float*)(((nint)p + 63) & ~(nint)63);
}
