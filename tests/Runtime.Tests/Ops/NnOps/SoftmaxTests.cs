using OnSram.Runtime;
using OnSram.Runtime.Tests.Support;
using static OnSram.Runtime.Binding;

namespace OnSram.Runtime.Tests.Ops.NnOps;

public sealed class SoftmaxTests
{
    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float16)]
    [InlineData(DType.BFloat16)]
    [InlineData(DType.Float64)]
    public void Execute_ManyShapes_MatchesScalarReference(DType dtype)
    {
        using var t = new TestContext();
        var seed = 60;
        foreach (var s in new[] { "[1]", "[5]", "[3,7]", "[2,3,17]", "[4,1]", "[2,1031]", "[0,3]", "[3,0]" })
        {
            var shape = OpTestData.ParseShape(s);
            var (x, xv) = OpTestData.Random(seed++, shape, dtype, -8, 8);

            var y = tf.nn.softmax(x);

            y.shape.Should().Be(shape);
            OpTestData.AssertClose(y.ToDoubleArray(), Reference(xv, (int)shape.dims[^1]), OpTestData.Tolerance(dtype), $"{dtype.Name()} {s}");
        }
    }

    [Fact]
    public void Execute_HugeLogits_StaysFiniteAndSumsToOne()
    {
        using var t = new TestContext();
        var x = tf.constant(new[] { 1000f, 1001f, 999f, -1000f, -1001f, -999f }, new Shape(2, 3));

        var y = tf.nn.softmax(x).ToArray<float>();

        y.Should().OnlyContain(v => float.IsFinite(v));
        (y[0] + y[1] + y[2]).Should().BeApproximately(1f, 1e-6f);
        (y[3] + y[4] + y[5]).Should().BeApproximately(1f, 1e-6f);
        y[1].Should().BeApproximately((float)(1 / (1 + Math.Exp(-1) + Math.Exp(-2))), 1e-6f);
    }

    [Fact]
    public void Execute_Scalar_ThrowsNamingOpAndShape()
    {
        using var t = new TestContext();

        var act = () => tf.nn.softmax(tf.constant(1f));

        act.Should().Throw<OpException>().Which.Message.Should().Contain("Softmax").And.Contain("float32[]");
    }

    [Fact]
    public void Execute_Int32_Throws()
    {
        using var t = new TestContext();

        var act = () => tf.nn.softmax(tf.constant(new[] { 1, 2 }));

        act.Should().Throw<OpException>().Which.Message.Should().Contain("int32[2]");
    }

    [Fact]
    public void Execute_ReportsFiveFlopsPerElement()
    {
        using var t = new TestContext();
        var rec = new RecordingObserver();
        using var _ = t.Context.Attach(rec);

        tf.nn.softmax(tf.zeros(new Shape(2, 10)));

        rec.Ops.Single().Flops.Should().Be(100);
    }

    private static double[] Reference(double[] x, int depth)
    {
        var r = new double[x.Length];
        if (depth == 0)
        {
            return r;
        }
        for (var o = 0; o < x.Length; o += depth)
        {
            var sum = 0.0;
            for (var c = 0; c < depth; c++)
            {
                sum += Math.Exp(x[o + c]);
            }
            for (var c = 0; c < depth; c++)
            {
                r[o + c] = Math.Exp(x[o + c]) / sum;
            }
        }
        return r;
    }
}
