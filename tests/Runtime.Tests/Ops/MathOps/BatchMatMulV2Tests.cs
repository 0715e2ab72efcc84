using OnSram.Accelerator;
using OnSram.Runtime.Tests.Kernels;
using OnSram.Runtime.Tests.Support;
using static OnSram.Runtime.Binding;

namespace OnSram.Runtime.Tests.Ops.MathOps;

public sealed class BatchMatMulV2Tests
{
    /// <summary>Reference with numpy broadcasting of the batch dimensions, written independently of the op.</summary>
    private static (double[] Out, double[] Magnitude, long[] Shape) Reference(float[] x, long[] xs, float[] y, long[] ys, bool adjX, bool adjY)
    {
        int xr = xs.Length, yr = ys.Length;
        long m = adjX ? xs[xr - 1] : xs[xr - 2], k = adjX ? xs[xr - 2] : xs[xr - 1];
        long n = adjY ? ys[yr - 2] : ys[yr - 1];
        var rank = Math.Max(xr, yr) - 2;
        long Dim(long[] s, int d) => d - (rank - (s.Length - 2)) < 0 ? 1 : s[d - (rank - (s.Length - 2))];
        var batch = Enumerable.Range(0, rank).Select(d => Math.Max(Dim(xs, d), Dim(ys, d))).ToArray();
        var count = batch.Aggregate(1L, (a, b) => a * b);
        var outv = new double[count * m * n];
        var mag = new double[outv.Length];
        for (long bi = 0; bi < count; bi++)
        {
            // Decompose the batch index, then map to each operand (index 0 on broadcast dimensions).
            var idx = new long[rank];
            var r = bi;
            for (var d = rank - 1; d >= 0; d--)
            {
                idx[d] = r % batch[d];
                r /= batch[d];
            }
            long xo = 0, yo = 0;
            for (var d = 0; d < rank; d++)
            {
                xo = xo * Dim(xs, d) + (Dim(xs, d) == 1 ? 0 : idx[d]);
                yo = yo * Dim(ys, d) + (Dim(ys, d) == 1 ? 0 : idx[d]);
            }
            xo *= m * k;
            yo *= k * n;
            for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                double s = 0, g = 0;
                for (var p = 0; p < k; p++)
                {
                    var a = adjX ? x[xo + p * m + i] : x[xo + i * k + p];
                    var b = adjY ? y[yo + j * k + p] : y[yo + p * n + j];
                    s += (double)a * b;
                    g += Math.Abs((double)a * b);
                }
                outv[(bi * m + i) * n + j] = s;
                mag[(bi * m + i) * n + j] = g;
            }
        }
        return (outv, mag, batch.Append(m).Append(n).ToArray());
    }

    public static TheoryData<long[], long[], bool, bool> Cases => new()
    {
        { new long[] { 3, 5, 7 }, new long[] { 3, 7, 4 }, false, false },
        { new long[] { 2, 3, 5, 7 }, new long[] { 7, 4 }, false, false },
        { new long[] { 5, 7 }, new long[] { 2, 3, 7, 4 }, false, false },
        { new long[] { 7, 5 }, new long[] { 2, 3, 7, 4 }, true, false },
        { new long[] { 1, 3, 7, 5 }, new long[] { 2, 1, 4, 7 }, true, true },
        { new long[] { 2, 1, 5, 7 }, new long[] { 3, 7, 4 }, false, false },
        { new long[] { 4, 17, 33 }, new long[] { 1, 4, 33 }, false, true },
        { new long[] { 8, 64, 64 }, new long[] { 8, 64, 64 }, false, false },
        { new long[] { 1, 130, 70 }, new long[] { 70, 129 }, false, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BatchMatMulV2_BroadcastAndAdjoint_MatchesReference(long[] xs, long[] ys, bool adjX, bool adjY)
    {
        using var t = new TestContext();
        var xv = KernelAssert.Random(xs.Aggregate(1L, (a, b) => a * b), 1);
        var yv = KernelAssert.Random(ys.Aggregate(1L, (a, b) => a * b), 2);
        var attrs = OpAttrs.Of(("adj_x", adjX), ("adj_y", adjY));

        var z = tf.execute("BatchMatMulV2", new[] { tf.constant(xv, new Shape(xs)), tf.constant(yv, new Shape(ys)) }, attrs)[0];

        var (expected, mag, shape) = Reference(xv, xs, yv, ys, adjX, adjY);
        var context = $"bmm {string.Join("x", xs)} @ {string.Join("x", ys)} adj={adjX},{adjY}";
        z.shape.Should().Be(new Shape(shape), context);
        KernelAssert.Close(z.ToArray<float>(), expected, mag, context);
    }

    [Fact]
    public void BatchMatMulV2_Observer_ReportsFlopsOverBroadcastBatch()
    {
        using var t = new TestContext();
        var rec = new RecordingObserver();
        using var _ = t.Context.Attach(rec);

        tf.matmul(tf.zeros(new Shape(2, 1, 5, 7)), tf.zeros(new Shape(3, 7, 4)));

        var op = rec.Ops.Single(o => o.OpType == "BatchMatMulV2");
        op.Outputs[0].Shape.Should().Be(new Shape(2, 3, 5, 4));
        op.Unit.Should().Be(ComputeUnit.Matrix);
        op.Flops.Should().Be(2.0 * 6 * 5 * 4 * 7);
        op.Traits.InputReuse.Should().Be(4);
    }

    [Fact]
    public void BatchMatMulV2_IncompatibleBatch_ThrowsNamingBothShapes()
    {
        using var t = new TestContext();

        var act = () => tf.matmul(tf.zeros(new Shape(2, 5, 7)), tf.zeros(new Shape(3, 7, 4)));

        act.Should().Throw<OpException>().Which.Detail.Should().Contain("[2,5,7]").And.Contain("[3,7,4]");
    }

    [Fact]
    public void BatchMatMulV2_InnerMismatch_ThrowsNamingBothShapes()
    {
        using var t = new TestContext();

        var act = () => tf.matmul(tf.zeros(new Shape(2, 5, 7)), tf.zeros(new Shape(2, 6, 4)));

        act.Should().Throw<OpException>().Which.Detail.Should().Contain("[2,5,7]").And.Contain("[2,6,4]");
    }

    [Fact]
    public void BatchMatMulV2_MetaMode_ShapesEqualRealMode()
    {
        Shape real;
        using (new TestContext())
        {
            real = tf.matmul(tf.zeros(new Shape(4, 1, 3, 5)), tf.zeros(new Shape(2, 6, 5)), transpose_b: true).shape;
        }
        using (new TestContext(meta: true))
        {
            tf.matmul(tf.zeros(new Shape(4, 1, 3, 5)), tf.zeros(new Shape(2, 6, 5)), transpose_b: true).shape.Should().Be(real);
        }
        real.Should().Be(new Shape(4, 2, 3, 6));
    }
}
