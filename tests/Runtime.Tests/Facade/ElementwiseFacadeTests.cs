using OnSram.Runtime;
using OnSram.Runtime.Tests.Ops;
using OnSram.Runtime.Tests.Support;
using static OnSram.Runtime.Binding;

namespace OnSram.Runtime.Tests.Facade;

public sealed class ElementwiseFacadeTests
{
    [Fact]
    public void MathFunctions_SmallInputs_GiveKnownValues()
    {
        using var t = new TestContext();
        var x = tf.constant(new[] { 1f, 4f });
        var y = tf.constant(new[] { 3f, 2f });

        tf.add(x, y).ToArray<float>().Should().Equal(4f, 6f);
        tf.subtract(x, y).ToArray<float>().Should().Equal(-2f, 2f);
        tf.multiply(x, y).ToArray<float>().Should().Equal(3f, 8f);
        tf.divide(x, y).ToArray<float>().Should().Equal(1f / 3f, 2f);
        tf.maximum(x, y).ToArray<float>().Should().Equal(3f, 4f);
        tf.minimum(x, y).ToArray<float>().Should().Equal(1f, 2f);
        tf.squared_difference(x, y).ToArray<float>().Should().Equal(4f, 4f);
        tf.math.squared_difference(x, y).ToArray<float>().Should().Equal(4f, 4f);
        tf.sqrt(x).ToArray<float>().Should().Equal(1f, 2f);
        tf.rsqrt(x).ToArray<float>().Should().Equal(1f, 0.5f);
        tf.math.rsqrt(x).ToArray<float>().Should().Equal(1f, 0.5f);
        tf.square(x).ToArray<float>().Should().Equal(1f, 16f);
        tf.negative(x).ToArray<float>().Should().Equal(-1f, -4f);
        tf.exp(tf.constant(new[] { 0f })).ToArray<float>().Should().Equal(1f);
        tf.tanh(tf.constant(new[] { 0f })).ToArray<float>().Should().Equal(0f);
        tf.sigmoid(tf.constant(new[] { 0f })).ToArray<float>().Should().Equal(0.5f);
        tf.nn.sigmoid(tf.constant(new[] { 0f })).ToArray<float>().Should().Equal(0.5f);
        tf.nn.tanh(tf.constant(new[] { 0f })).ToArray<float>().Should().Equal(0f);
        tf.math.erf(tf.constant(new[] { 1f })).ToArray<float>()[0].Should().BeApproximately(0.8427008f, 1e-7f);
        tf.nn.relu(tf.constant(new[] { -1f, 2f })).ToArray<float>().Should().Equal(0f, 2f);
        tf.nn.relu6(tf.constant(new[] { -1f, 7f, 3f })).ToArray<float>().Should().Equal(0f, 6f, 3f);
        tf.nn.elu(tf.constant(new[] { -1f, 2f })).ToArray<float>()[0].Should().BeApproximately((float)(Math.Exp(-1) - 1), 1e-7f);
    }

    [Fact]
    public void ReduceMean_AxisAndKeepDims_GiveTensorFlowShapesAndValues()
    {
        using var t = new TestContext();
        var x = tf.constant(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, new Shape(2, 3));

        var all = tf.reduce_mean(x);
        var rows = tf.reduce_mean(x, 1);
        var cols = tf.reduce_mean(x, 0, keepdims: true);
        var both = tf.reduce_mean(x, new[] { 0, -1 }, keepdims: true);

        all.shape.Should().Be(Shape.Scalar);
        all.ToArray<float>().Should().Equal(3.5f);
        rows.ToArray<float>().Should().Equal(2f, 5f);
        cols.shape.Should().Be(new Shape(1, 3));
        cols.ToArray<float>().Should().Equal(2.5f, 3.5f, 4.5f);
        both.shape.Should().Be(new Shape(1, 1));
        tf.reduce_sum(x, 0).ToArray<float>().Should().Equal(5f, 7f, 9f);
        tf.reduce_max(x, new[] { 1 }).ToArray<float>().Should().Equal(3f, 6f);
    }

    [Fact]
    public void Softmax_RandomLogits_RowsSumToOne()
    {
        using var t = new TestContext();
        var (x, _) = OpTestData.Random(5, new Shape(3, 4, 11), DType.Float32, -20, 20);

        var sums = tf.reduce_sum(tf.nn.softmax(x), -1).ToArray<float>();

        sums.Should().HaveCount(12).And.OnlyContain(s => Math.Abs(s - 1f) < 1e-5f);
    }

    [Fact]
    public void BatchNormalization_CompositeAndFused_Agree()
    {
        using var t = new TestContext();
        var (x, _) = OpTestData.Random(1, new Shape(2, 3, 3, 5), DType.Float32);
        var (mean, _) = OpTestData.Random(2, new Shape(5), DType.Float32, -1, 1);
        var (variance, _) = OpTestData.Random(3, new Shape(5), DType.Float32, 0.1, 2);
        var (offset, _) = OpTestData.Random(4, new Shape(5), DType.Float32, -1, 1);
        var (scale, _) = OpTestData.Random(5, new Shape(5), DType.Float32, 0.5, 2);

        var composite = tf.nn.batch_normalization(x, mean, variance, offset, scale, 1e-3f).ToArray<float>();
        var fused = tf.nn.fused_batch_norm(x, scale, offset, mean, variance, 1e-3f).ToArray<float>();

        composite.Should().HaveCount(fused.Length);
        for (var i = 0; i < fused.Length; i++)
        {
            composite[i].Should().BeApproximately(fused[i], 1e-5f * Math.Max(1f, Math.Abs(fused[i])));
        }
    }

    [Fact]
    public void Cast_FloatToInt_TruncatesTowardZero()
    {
        using var t = new TestContext();

        var y = tf.cast(tf.constant(new[] { 2.9f, -2.9f, 0.5f }), tf.int32);

        y.ToArray<int>().Should().Equal(2, -2, 0);
    }

    [Fact]
    public void Script_MetaMode_GivesRealModeShapes()
    {
        var real = RunScript(meta: false);
        var meta = RunScript(meta: true);

        meta.Should().Equal(real);
    }

    private static List<string> RunScript(bool meta)
    {
        using var t = new TestContext(meta);
        var x = tf.zeros(new Shape(2, 5, 5, 3));
        var p = tf.ones(new Shape(3));
        var outputs = new List<Tensor>
        {
            x + tf.zeros(new Shape(5, 1, 3)),
            tf.maximum(tf.zeros(new Shape(2, 1, 3)), tf.zeros(new Shape(4, 1))),
            tf.cast(x, tf.float16),
            tf.reduce_mean(x, new[] { 1, 2 }, keepdims: true),
            tf.reduce_sum(x, new[] { -1, 0 }),
            tf.reduce_max(x, Array.Empty<int>()),
            tf.nn.softmax(x),
            tf.nn.bias_add(x, p),
            tf.nn.bias_add(tf.zeros(new Shape(2, 3, 4)), p, "NCHW"),
            tf.nn.lrn(x, depth_radius: 2),
            tf.nn.fused_batch_norm(x, p, p, p, p),
            tf.nn.batch_normalization(x, p, p, p, p, 1e-3f),
            tf.nn.relu6(tf.math.erf(-x)),
        };
        return outputs.Select(o => $"{o.dtype.Name()}{o.shape.ToCompactString()}").ToList();
    }
}
