using OnSram.Runtime;
using OnSram.Runtime.Tests.Support;
using static OnSram.Runtime.Binding;

namespace OnSram.Runtime.Tests.Ops.NnOps;

public sealed class FusedBatchNormV3Tests
{
    [Theory]
    [InlineData(DType.Float32, DType.Float32)]
    [InlineData(DType.Float16, DType.Float32)]
    [InlineData(DType.BFloat16, DType.Float32)]
    [InlineData(DType.Float16, DType.Float16)]
    public void Execute_Inference_MatchesScalarReference(DType dtype, DType paramType)
    {
        using var t = new TestContext();
        var seed = 90;
        foreach (var s in new[] { "[1,1,1,1]", "[1,3,3,5]", "[2,4,5,16]", "[1,2,2,33]", "[0,2,2,3]" })
        {
            var shape = OpTestData.ParseShape(s);
            var c = shape.dims[3];
            var (x, xv) = OpTestData.Random(seed++, shape, dtype);
            var (scale, sv) = OpTestData.Random(seed++, new Shape(c), paramType, 0.5, 2);
            var (offset, ov) = OpTestData.Random(seed++, new Shape(c), paramType, -1, 1);
            var (mean, mv) = OpTestData.Random(seed++, new Shape(c), paramType, -1, 1);
            var (variance, vv) = OpTestData.Random(seed++, new Shape(c), paramType, 0.1, 3);
            const double eps = 1e-3;

            var outputs = t.Context.Execute("FusedBatchNormV3", [x, scale, offset, mean, variance],
                OpAttrs.Of(("epsilon", eps), ("is_training", false), ("data_format", "NHWC")));

            outputs.Should().HaveCount(1, "only y is produced (documented)");
            var y = outputs[0];
            y.shape.Should().Be(shape);
            y.dtype.Should().Be(dtype);
            var expected = new double[xv.Length];
            for (var i = 0; i < xv.Length; i++)
            {
                var ch = i % (int)c;
                expected[i] = sv[ch] * (xv[i] - mv[ch]) / Math.Sqrt(vv[ch] + eps) + ov[ch];
            }
            OpTestData.AssertClose(y.ToDoubleArray(), expected, OpTestData.Tolerance(dtype) * 4, $"{dtype.Name()} {s}");
        }
    }

    [Fact]
    public void Execute_EpsilonAbsent_UsesTensorFlowDefault()
    {
        using var t = new TestContext();
        var x = tf.constant(new[] { 1f, 1f }, new Shape(1, 1, 1, 2));
        var one = tf.constant(new[] { 1f, 1f });
        var zero = tf.constant(new[] { 0f, 0f });
        var variance = tf.constant(new[] { 1e-4f, 0f });

        var y = t.Context.Execute("FusedBatchNormV3", [x, one, zero, zero, variance], OpAttrs.Of(("is_training", false)))[0]
            .ToArray<float>();

        y[0].Should().BeApproximately((float)(1 / Math.Sqrt(2e-4)), 1e-3f);
        y[1].Should().BeApproximately(100f, 1e-3f);
    }

    [Fact]
    public void Execute_TrainingMode_ThrowsNamingAttribute()
    {
        using var t = new TestContext();
        var (x, p) = Inputs(new Shape(1, 2, 2, 3));

        var act = () => t.Context.Execute("FusedBatchNormV3", [x, p, p, p, p], OpAttrs.Of(("is_training", true)));

        var e = act.Should().Throw<OpException>().Which;
        e.Attribute.Should().Be("is_training");
        e.Message.Should().Contain("FusedBatchNormV3").And.Contain("[1,2,2,3]");
    }

    [Fact]
    public void Execute_IsTrainingAbsent_ThrowsBecauseTensorFlowDefaultsToTraining()
    {
        using var t = new TestContext();
        var (x, p) = Inputs(new Shape(1, 2, 2, 3));

        var act = () => t.Context.Execute("FusedBatchNormV3", [x, p, p, p, p]);

        act.Should().Throw<OpException>().Which.Attribute.Should().Be("is_training");
    }

    [Fact]
    public void Execute_Nchw_ThrowsNamingDataFormat()
    {
        using var t = new TestContext();
        var (x, p) = Inputs(new Shape(1, 3, 2, 2));

        var act = () => tf.nn.fused_batch_norm(x, p, p, p, p, data_format: "NCHW");

        act.Should().Throw<OpException>().Which.Attribute.Should().Be("data_format");
    }

    [Fact]
    public void Execute_ScaleOfWrongSize_ThrowsNamingInputAndShapes()
    {
        using var t = new TestContext();
        var (x, p) = Inputs(new Shape(1, 2, 2, 3));
        var wrong = tf.zeros(new Shape(4));

        var act = () => tf.nn.fused_batch_norm(x, wrong, p, p, p);

        act.Should().Throw<OpException>().Which.Message.Should().Contain("scale").And.Contain("[4]").And.Contain("3 elements");
    }

    [Fact]
    public void Execute_Rank2Input_Throws()
    {
        using var t = new TestContext();
        var (x, p) = Inputs(new Shape(2, 3));

        var act = () => tf.nn.fused_batch_norm(x, p, p, p, p);

        act.Should().Throw<OpException>().Which.Message.Should().Contain("rank 4").And.Contain("[2,3]");
    }

    [Fact]
    public void Execute_Float64Parameters_Throw()
    {
        using var t = new TestContext();
        var x = tf.zeros(new Shape(1, 1, 1, 2));
        var p = tf.zeros(new Shape(2), DType.Float64);

        var act = () => tf.nn.fused_batch_norm(x, p, p, p, p);

        act.Should().Throw<OpException>().Which.Message.Should().Contain("float64");
    }

    [Fact]
    public void Execute_ReportsTwoFlopsPerElement()
    {
        using var t = new TestContext();
        var rec = new RecordingObserver();
        using var _ = t.Context.Attach(rec);
        var (x, p) = Inputs(new Shape(1, 2, 2, 3));

        tf.nn.fused_batch_norm(x, p, p, p, p);

        rec.Ops.Single().Flops.Should().Be(24);
    }

    private static (Tensor X, Tensor Param) Inputs(Shape shape) =>
        (tf.zeros(shape), tf.ones(new Shape(shape.dims[^1])));
}
