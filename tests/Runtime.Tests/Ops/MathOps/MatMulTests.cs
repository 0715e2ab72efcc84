using OnSram.Accelerator;
using OnSram.Runtime.Tests.Kernels;
using OnSram.Runtime.Tests.Support;
using static OnSram.Runtime.Binding;

namespace OnSram.Runtime.Tests.Ops.MathOps;

public sealed class MatMulTests
{
    public static TheoryData<bool, bool> Transposes => new() { { false, false }, { true, false }, { false, true }, { true, true } };

    internal static void Check(int m, int n, int k, bool ta, bool tb, int seed)
    {
        var av = KernelAssert.Random(m * k, seed);
        var bv = KernelAssert.Random(k * n, seed + 1);
        var a = tf.constant(av, ta ? new Shape(k, m) : new Shape(m, k));
        var b = tf.constant(bv, tb ? new Shape(n, k) : new Shape(k, n));

        var c = tf.matmul(a, b, ta, tb);

        var (expected, mag) = GemmTests.Reference(m, n, k, av, ta, bv, tb);
        var context = $"matmul m={m} n={n} k={k} ta={ta} tb={tb}";
        c.shape.Should().Be(new Shape(m, n), context);
        KernelAssert.Close(c.ToArray<float>(), expected, mag, context);
    }

    [Theory]
    [MemberData(nameof(Transposes))]
    public void MatMul_OddSizesAndTransposes_MatchesNaiveReference(bool ta, bool tb)
    {
        using var t = new TestContext();
        int[] sizes = [1, 3, 17, 64, 129];
        foreach (var m in sizes)
        {
            foreach (var n in sizes)
            {
                foreach (var k in new[] { 1, 17, 129 })
                {
                    Check(m, n, k, ta, tb, m + 3 * n + 7 * k);
                }
            }
        }
    }

    [Theory]
    [InlineData(97, 33, 257)]
    [InlineData(200, 47, 300)]
    public void MatMul_SizesCrossingGemmBlocks_MatchesNaiveReference(int m, int n, int k)
    {
        using var t = new TestContext();
        Check(m, n, k, false, false, 1);
        Check(m, n, k, true, true, 2);
    }

    [Fact]
    public void MatMul_Observer_ReportsFlopsUnitAndColumnReuse()
    {
        using var t = new TestContext();
        var rec = new RecordingObserver();
        using var _ = t.Context.Attach(rec);

        tf.matmul(tf.zeros(new Shape(7, 5)), tf.zeros(new Shape(9, 7)), transpose_a: true, transpose_b: true);

        var op = rec.Ops.Single(o => o.OpType == "MatMul");
        op.Outputs[0].Shape.Should().Be(new Shape(5, 9));
        op.Unit.Should().Be(ComputeUnit.Matrix);
        op.Flops.Should().Be(2.0 * 5 * 9 * 7);
        op.Traits.InputReuse.Should().Be(9);
        op.Traits.HasWindow.Should().BeFalse();
    }

    [Fact]
    public void MatMul_InnerDimensionMismatch_ThrowsNamingBothShapes()
    {
        using var t = new TestContext();

        var act = () => tf.matmul(tf.zeros(new Shape(2, 3)), tf.zeros(new Shape(4, 5)));

        act.Should().Throw<OpException>().Which.Detail.Should().Contain("[2,3]").And.Contain("[4,5]");
    }

    [Fact]
    public void MatMul_Float16_ComputesInFloat32AndRounds()
    {
        using var t = new TestContext();
        var av = KernelAssert.Random(5 * 40, 1);
        var bv = KernelAssert.Random(40 * 6, 2);
        var a = KernelAssert.Tensor(av, new Shape(5, 40), DType.Float16);
        var b = KernelAssert.Tensor(bv, new Shape(40, 6), DType.Float16);

        var c = tf.matmul(a, b);

        c.dtype.Should().Be(DType.Float16);
        var (expected, _) = GemmTests.Reference(5, 6, 40, a.ToFloatArray(), false, b.ToFloatArray(), false);
        KernelAssert.Close(c.ToFloatArray(), expected.Select(v => (float)v).ToArray(), 2e-3, "fp16 matmul");
    }

    [Fact]
    public void MatMul_IntegerOperands_ThrowNamingDtype()
    {
        using var t = new TestContext();

        var act = () => tf.matmul(tf.zeros(new Shape(2, 2), DType.Int32), tf.zeros(new Shape(2, 2), DType.Int32));

        act.Should().Throw<OpException>().Which.Detail.Should().Contain("int32");
    }

    [Fact]
    public void MatMul_MetaMode_ShapesEqualRealMode()
    {
        Shape real;
        using (new TestContext())
        {
            real = tf.matmul(tf.zeros(new Shape(6, 3)), tf.zeros(new Shape(4, 6)), true, true).shape;
        }
        using (new TestContext(meta: true))
        {
            tf.matmul(tf.zeros(new Shape(6, 3)), tf.zeros(new Shape(4, 6)), true, true).shape.Should().Be(real);
        }
        real.Should().Be(new Shape(3, 4));
    }
}
