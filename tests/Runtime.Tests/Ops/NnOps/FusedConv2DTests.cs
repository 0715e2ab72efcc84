using OnSram.Accelerator;
using OnSram.Runtime.Tests.Kernels;
using OnSram.Runtime.Tests.Support;
using static OnSram.Runtime.Binding;

namespace OnSram.Runtime.Tests.Ops.NnOps;

public sealed class FusedConv2DTests
{
    private static readonly Shape s_input = new(2, 9, 8, 8);
    private static readonly Shape s_filter = new(3, 3, 8, 6);
    private static readonly Shape s_output = new(2, 5, 8, 6);

    public static TheoryData<string> FusedOps => new()
    {
        "BiasAdd", "BiasAdd,Relu", "BiasAdd,Relu6", "BiasAdd,Elu", "BiasAdd,LeakyRelu", "BiasAdd,Add", "BiasAdd,Add,Relu",
        "FusedBatchNorm", "FusedBatchNorm,Relu", "FusedBatchNorm,Relu6", "FusedBatchNorm,Elu",
    };

    private static OpAttrs ConvAttrs() =>
        OpAttrs.Of(("strides", new[] { 1, 2, 1, 1 }), ("padding", "SAME"), ("dilations", new[] { 1, 1, 1, 1 }), ("data_format", "NHWC"));

    private static (Tensor[] Args, float[][] Values) Args(string[] ops)
    {
        var values = new List<float[]>();
        var tensors = new List<Tensor>();
        var seed = 50;
        foreach (var op in ops)
        {
            var count = op switch { "BiasAdd" => 1, "FusedBatchNorm" => 4, "Add" => 1, _ => 0 };
            for (var i = 0; i < count; i++)
            {
                var shape = op == "Add" ? s_output : new Shape(s_output[-1]);
                var v = KernelAssert.Random(shape.size, seed++).Select(x => x * 4).ToArray();
                if (op == "FusedBatchNorm" && i == 3)
                {
                    v = v.Select(Math.Abs).ToArray(); // variance
                }
                values.Add(v);
                tensors.Add(tf.constant(v, shape));
            }
        }
        return (tensors.ToArray(), values.ToArray());
    }

    [Theory]
    [MemberData(nameof(FusedOps))]
    public void FusedConv2D_EachFusedOpsList_EqualsUnfusedSequence(string fused)
    {
        using var t = new TestContext();
        var rec = new RecordingObserver();
        using var _ = t.Context.Attach(rec);
        var ops = fused.Split(',');
        var x = tf.constant(KernelAssert.Random(s_input.size, 1), s_input);
        var f = tf.constant(KernelAssert.Random(s_filter.size, 2), s_filter);
        var (args, values) = Args(ops);
        var attrs = ConvAttrs().With("fused_ops", ops).With("num_args", args.Length).With("epsilon", 0.001f);

        var y = tf.execute("_FusedConv2D", new[] { x, f }.Concat(args).ToArray(), attrs)[0];
        var conv = t.Context.Execute("Conv2D", new[] { x, f }, ConvAttrs())[0];

        var expected = FusedReference.Apply(conv.ToArray<float>(), 6, ops, values, epsilon: 0.001f);
        y.shape.Should().Be(s_output);
        KernelAssert.Close(y.ToArray<float>(), expected, 1e-5, fused);
        var fusedOp = rec.Ops.First(o => o.OpType == "_FusedConv2D");
        var convOp = rec.Ops.First(o => o.OpType == "Conv2D");
        fusedOp.Unit.Should().Be(ComputeUnit.Matrix);
        fusedOp.Flops.Should().Be(convOp.Flops + FusedReference.FlopsPerElement(ops) * s_output.size);
        fusedOp.Traits.Should().Be(convOp.Traits);
    }

    [Fact]
    public void FusedConv2D_LeakyReluAlpha_IsRead()
    {
        using var t = new TestContext();
        var x = tf.constant(new[] { -2f, 3f }, new Shape(1, 1, 2, 1));
        var f = tf.constant(new[] { 1f }, new Shape(1, 1, 1, 1));
        var attrs = ConvAttrs().With("fused_ops", new[] { "BiasAdd", "LeakyRelu" }).With("num_args", 1).With("leakyrelu_alpha", 0.5f);

        var y = tf.execute("_FusedConv2D", new[] { x, f, tf.constant(new[] { 0f }) }, attrs.With("strides", new[] { 1, 1, 1, 1 }))[0];

        y.ToArray<float>().Should().Equal(-1f, 3f);
    }

    [Theory]
    [InlineData("Relu")]
    [InlineData("BiasAdd,Relu,Relu")]
    [InlineData("BiasAdd,Sigmoid")]
    [InlineData("FusedBatchNorm,Add")]
    public void FusedConv2D_UnsupportedFusedOps_ThrowsNamingAttribute(string fused)
    {
        using var t = new TestContext();
        var x = tf.zeros(s_input);
        var f = tf.zeros(s_filter);
        var bias = tf.zeros(new Shape(6));

        var act = () => tf.execute("_FusedConv2D", new[] { x, f, bias }, ConvAttrs().With("fused_ops", fused.Split(',')).With("num_args", 1));

        act.Should().Throw<OpException>().Which.Attribute.Should().Be("fused_ops");
    }

    [Fact]
    public void FusedConv2D_NumArgsMismatch_ThrowsNamingNumArgs()
    {
        using var t = new TestContext();

        var act = () => tf.execute("_FusedConv2D", new[] { tf.zeros(s_input), tf.zeros(s_filter), tf.zeros(new Shape(6)) },
            ConvAttrs().With("fused_ops", new[] { "FusedBatchNorm" }).With("num_args", 1));

        act.Should().Throw<OpException>().Which.Attribute.Should().Be("num_args");
    }

    [Fact]
    public void FusedConv2D_BiasOfWrongLength_ThrowsNamingShapes()
    {
        using var t = new TestContext();

        var act = () => tf.execute("_FusedConv2D", new[] { tf.zeros(s_input), tf.zeros(s_filter), tf.zeros(new Shape(5)) },
            ConvAttrs().With("fused_ops", new[] { "BiasAdd" }).With("num_args", 1));

        act.Should().Throw<OpException>().Which.Detail.Should().Contain("bias").And.Contain("[5]");
    }

    [Fact]
    public void FusedConv2D_MetaMode_ShapesEqualRealMode()
    {
        Shape real;
        var attrs = ConvAttrs().With("fused_ops", new[] { "BiasAdd", "Relu" }).With("num_args", 1);
        using (new TestContext())
        {
            real = tf.execute("_FusedConv2D", new[] { tf.zeros(s_input), tf.zeros(s_filter), tf.zeros(new Shape(6)) }, attrs)[0].shape;
        }
        using (new TestContext(meta: true))
        {
            tf.execute("_FusedConv2D", new[] { tf.zeros(s_input), tf.zeros(s_filter), tf.zeros(new Shape(6)) }, attrs)[0].shape.Should().Be(real);
        }
        real.Should().Be(s_output);
    }
}
