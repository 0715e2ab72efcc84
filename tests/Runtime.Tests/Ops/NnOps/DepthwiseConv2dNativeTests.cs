using OnSram.Accelerator;
using OnSram.Runtime.Tests.Kernels;
using OnSram.Runtime.Tests.Support;
using static OnSram.Runtime.Binding;

namespace OnSram.Runtime.Tests.Ops.NnOps;

public sealed class DepthwiseConv2dNativeTests
{
    public static TheoryData<int, int, int, string, int> Cases()
    {
        var data = new TheoryData<int, int, int, string, int>();
        var mult = 1;
        foreach (var k in new[] { 1, 3, 5 })
        {
            foreach (var s in new[] { 1, 2 })
            {
                foreach (var d in new[] { 1, 2 })
                {
                    foreach (var p in new[] { "SAME", "VALID", "EXPLICIT" })
                    {
                        data.Add(k, s, d, p, mult);
                        mult = mult % 3 + 1;
                    }
                }
            }
        }
        return data;
    }

    private static (Tensor Y, double[] Expected, double[] Magnitude, int[] Shape) Run(int[] xs, int[] fs, int s, int d, string padding, int[]? pads, int seed)
    {
        var xv = KernelAssert.Random(xs.Aggregate(1, (a, b) => a * b), seed);
        var fv = KernelAssert.Random(fs.Aggregate(1, (a, b) => a * b), seed + 1);
        var attrs = OpAttrs.Of(("strides", new[] { 1, s, s, 1 }), ("padding", padding), ("dilations", new[] { 1, d, d, 1 }));
        if (pads is not null)
        {
            attrs = attrs.With("explicit_paddings", pads);
        }
        var y = tf.execute("DepthwiseConv2dNative", new[] { tf.constant(xv, new Shape(xs)), tf.constant(fv, new Shape(fs)) }, attrs)[0];
        var (e, m, shape) = WindowReference.Depthwise(xv, xs, fv, fs, s, s, d, d, padding, pads);
        return (y, e, m, shape);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DepthwiseConv2dNative_KernelStrideDilationPaddingMultiplier_MatchesDirectReference(int k, int s, int d, string padding, int mult)
    {
        using var t = new TestContext();
        int[]? pads = padding == "EXPLICIT" ? new[] { 0, 0, 2, 1, 0, 3, 0, 0 } : null;
        var xs = new[] { 2, 12, 11, 5 };

        var (y, expected, mag, shape) = Run(xs, new[] { k, k, 5, mult }, s, d, padding, pads, k + s + d);

        var context = $"depthwise k={k} s={s} d={d} {padding} mult={mult}";
        y.shape.Should().Be(new Shape(shape), context);
        KernelAssert.Close(y.ToArray<float>(), expected, mag, context);
    }

    [Fact]
    public void DepthwiseConv2dNative_LargeLayer_RunsInParallelAndMatchesReference()
    {
        using var t = new TestContext();

        var (y, expected, mag, _) = Run(new[] { 1, 40, 40, 32 }, new[] { 3, 3, 32, 1 }, 1, 1, "SAME", null, 3);

        KernelAssert.Close(y.ToArray<float>(), expected, mag, "large depthwise");
    }

    [Fact]
    public void DepthwiseConv2dNative_Observer_ReportsFlopsUnitAndTraits()
    {
        using var t = new TestContext();
        var rec = new RecordingObserver();
        using var _ = t.Context.Attach(rec);

        tf.nn.depthwise_conv2d(tf.zeros(new Shape(1, 8, 8, 4)), tf.zeros(new Shape(3, 3, 4, 2)), new[] { 2, 2 }, "SAME");

        var op = rec.Ops.Single(o => o.OpType == "DepthwiseConv2dNative");
        op.Outputs[0].Shape.Should().Be(new Shape(1, 4, 4, 8));
        op.Unit.Should().Be(ComputeUnit.Matrix);
        op.Flops.Should().Be(2.0 * 1 * 4 * 4 * 4 * 2 * 3 * 3);
        op.Traits.InputReuse.Should().Be(3 * 3 * 2);
        (op.Traits.KernelH, op.Traits.StrideW).Should().Be((3, 2));
    }

    [Fact]
    public void DepthwiseConv2dNative_ChannelMismatch_ThrowsNamingBothShapes()
    {
        using var t = new TestContext();

        var act = () => tf.nn.depthwise_conv2d(tf.zeros(new Shape(1, 8, 8, 4)), tf.zeros(new Shape(3, 3, 3, 1)), new[] { 1, 1 }, "SAME");

        act.Should().Throw<OpException>().Which.Detail.Should().Contain("[1,8,8,4]").And.Contain("[3,3,3,1]");
    }

    [Fact]
    public void DepthwiseConv2dNative_Nchw_ThrowsNamingDataFormat()
    {
        using var t = new TestContext();

        var act = () => tf.nn.depthwise_conv2d(tf.zeros(new Shape(1, 4, 8, 8)), tf.zeros(new Shape(3, 3, 4, 1)), new[] { 1, 1 }, "SAME", "NCHW");

        act.Should().Throw<OpException>().Which.Attribute.Should().Be("data_format");
    }

    [Fact]
    public void DepthwiseConv2dNative_MetaMode_ShapesEqualRealMode()
    {
        Shape real;
        using (new TestContext())
        {
            real = tf.nn.depthwise_conv2d(tf.zeros(new Shape(2, 9, 7, 3)), tf.zeros(new Shape(5, 3, 3, 2)), new[] { 2, 1 }, "VALID", dilations: new[] { 1, 2 }).shape;
        }
        using (new TestContext(meta: true))
        {
            tf.nn.depthwise_conv2d(tf.zeros(new Shape(2, 9, 7, 3)), tf.zeros(new Shape(5, 3, 3, 2)), new[] { 2, 1 }, "VALID", dilations: new[] { 1, 2 })
                .shape.Should().Be(real);
        }
    }
}
