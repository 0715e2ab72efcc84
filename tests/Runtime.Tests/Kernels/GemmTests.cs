using OnSram.Runtime.Kernels;

namespace OnSram.Runtime.Tests.Kernels;

public sealed class GemmTests
{
    /// <summary>Naive double-precision C = op(A)·op(B) and the magnitude Σ|a·b| of each element.</summary>
    internal static (double[] C, double[] Magnitude) Reference(int m, int n, int k, float[] a, bool transA, float[] b, bool transB)
    {
        var c = new double[m * n];
        var mag = new double[m * n];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double s = 0, g = 0;
                for (var p = 0; p < k; p++)
                {
                    var x = transA ? a[p * m + i] : a[i * k + p];
                    var y = transB ? b[j * k + p] : b[p * n + j];
                    s += (double)x * y;
                    g += Math.Abs((double)x * y);
                }
                c[i * n + j] = s;
                mag[i * n + j] = g;
            }
        }
        return (c, mag);
    }

    private static void Check(int m, int n, int k, bool transA, bool transB, bool? vectorized = null, bool allowParallel = true, int seed = 1)
    {
        var a = KernelAssert.Random((long)m * k, seed);
        var b = KernelAssert.Random((long)k * n, seed + 1);
        var c = new float[m * n];
        Gemm.Multiply(m, n, k, a, transA, b, transB, c, allowParallel: allowParallel, vectorized: vectorized);
        var (expected, mag) = Reference(m, n, k, a, transA, b, transB);
        KernelAssert.Close(c, expected, mag, $"gemm m={m} n={n} k={k} tA={transA} tB={transB} vec={vectorized}");
    }

    public static TheoryData<bool, bool> Transposes => new() { { false, false }, { true, false }, { false, true }, { true, true } };

    [Theory]
    [MemberData(nameof(Transposes))]
    public void Multiply_OddSizesAllCombinations_MatchesNaiveReference(bool transA, bool transB)
    {
        int[] sizes = [1, 3, 17, 64, 129];
        foreach (var m in sizes)
        {
            foreach (var n in sizes)
            {
                foreach (var k in sizes)
                {
                    Check(m, n, k, transA, transB, seed: m * 31 + n * 7 + k);
                }
            }
        }
    }

    [Theory]
    [InlineData(97, 33, 257, true)]   // one row past MC, a partial NR sliver, one past KC (two depth panels)
    [InlineData(193, 16, 513, true)]  // three row blocks, exactly one sliver, three depth panels
    [InlineData(6, 4100, 5, true)]    // crosses the NC column-panel boundary
    [InlineData(2, 2048, 600, true)]  // small-row path split across workers
    [InlineData(4, 2100, 2000, false)] // deep K: the B-pack budget narrows the column panel below N
    public void Multiply_SizesCrossingBlockBoundaries_MatchesNaiveReference(int m, int n, int k, bool transposedToo)
    {
        Check(m, n, k, false, false);
        if (transposedToo)
        {
            Check(m, n, k, true, true, seed: 5);
        }
    }

    [Theory]
    [MemberData(nameof(Transposes))]
    public void Multiply_PortableScalarKernel_MatchesNaiveReference(bool transA, bool transB)
    {
        Check(13, 35, 300, transA, transB, vectorized: false);
        Check(2, 17, 9, transA, transB, vectorized: false);
    }

    [Fact]
    public void Multiply_PackedPathForFewRows_MatchesSmallRowPath()
    {
        Check(3, 40, 70, true, false, vectorized: Gemm.Vectorized);
        Check(1, 40, 70, false, true, vectorized: Gemm.Vectorized);
    }

    [Fact]
    public void Multiply_Serial_EqualsParallelBitwise()
    {
        var a = KernelAssert.Random(200 * 300, 3);
        var b = KernelAssert.Random(300 * 150, 4);
        var serial = new float[200 * 150];
        var parallel = new float[200 * 150];

        Gemm.Multiply(200, 150, 300, a, false, b, false, serial, allowParallel: false);
        Gemm.Multiply(200, 150, 300, a, false, b, false, parallel, allowParallel: true);

        parallel.Should().Equal(serial, "each output tile is summed in the same order whichever worker runs it");
    }

    [Fact]
    public void Multiply_Accumulate_AddsToExistingOutput()
    {
        var a = KernelAssert.Random(10 * 20, 8);
        var b = KernelAssert.Random(20 * 30, 9);
        var c = Enumerable.Repeat(1f, 300).ToArray();

        Gemm.Multiply(10, 30, 20, a, false, b, false, c, accumulate: true);

        var (expected, mag) = Reference(10, 30, 20, a, false, b, false);
        KernelAssert.Close(c, expected.Select(v => v + 1).ToArray(), mag, "accumulate");
    }

    [Fact]
    public void Multiply_ZeroDepth_WritesZeros()
    {
        var c = Enumerable.Repeat(5f, 12).ToArray();

        Gemm.Multiply(3, 4, 0, ReadOnlySpan<float>.Empty, false, ReadOnlySpan<float>.Empty, false, c);

        c.Should().OnlyContain(v => v == 0f);
    }
}
