using OnSram.Accelerator;
using OnSram.Runtime.Tests.Kernels;
using OnSram.Runtime.Tests.Support;
using static OnSram.Runtime.Binding;

namespace OnSram.Runtime.Tests.Ops.MathOps;

public sealed class FusedMatMulTests
{
    public static TheoryData<string, bool, bool> Cases => new()
    {
        { "BiasAdd", false, false },
        { "BiasAdd,Relu", true, false },
        { "BiasAdd,Relu6", false, true },
        { "BiasAdd,Elu", true, true },
        { "BiasAdd,LeakyRelu", false, false },
        { "BiasAdd,Add,Relu", false, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void FusedMatMul_FusedOps_EqualsUnfusedSequence(string fused, bool ta, bool tb)
    {
        using var t = new TestContext();
        var rec = new RecordingObserver();
        using var _ = t.Context.Attach(rec);
        var ops = fused.Split(',');
        const int m = 33, n = 21, k = 70;
        var a = tf.constant(KernelAssert.Random(m * k, 1), ta ? new Shape(k, m) : new Shape(m, k));
        var b = tf.constant(KernelAssert.Random(k * n, 2), tb ? new Shape(n, k) : new Shape(k, n));
        var bias = KernelAssert.Random(n, 3).Select(v => v * 4).ToArray();
        var args = new List<Tensor> { tf.constant(bias) };
        var values = new List<float[]> { bias };
        if (ops.Contains("Add"))
        {
            var addend = KernelAssert.Random(m * n, 4);
            args.Add(tf.constant(addend, new Shape(m, n)));
            values.Add(addend);
        }
        var attrs = OpAttrs.Of(("transpose_a", ta), ("transpose_b", tb), ("fused_ops", ops), ("num_args", args.Count));

        var y = tf.execute("_FusedMatMul", new[] { a, b }.Concat(args).ToArray(), attrs)[0];
        var product = tf.matmul(a, b, ta, tb);

        var expected = FusedReference.Apply(product.ToArray<float>(), n, ops, values.ToArray());
        KernelAssert.Close(y.ToArray<float>(), expected, 1e-5, fused);
        var op = rec.Ops.First(o => o.OpType == "_FusedMatMul");
        op.Unit.Should().Be(ComputeUnit.Matrix);
        op.Flops.Should().Be(2.0 * m * n * k + FusedReference.FlopsPerElement(ops) * m * n);
        op.Traits.InputReuse.Should().Be(n);
    }

    [Fact]
    public void FusedMatMul_FusedBatchNorm_ThrowsNamingFusedOps()
    {
        using var t = new TestContext();
        var v = tf.zeros(new Shape(4));
        var attrs = OpAttrs.Of(("fused_ops", new[] { "FusedBatchNorm" }), ("num_args", 4));

        var act = () => tf.execute("_FusedMatMul", new[] { tf.zeros(new Shape(3, 5)), tf.zeros(new Shape(5, 4)), v, v, v, v }, attrs);

        act.Should().Throw<OpException>().Which.Attribute.Should().Be("fused_ops");
    }

    [Fact]
    public void FusedMatMul_AddendOfWrongShape_Throws()
    {
        using var t = new TestContext();
        var attrs = OpAttrs.Of(("fused_ops", new[] { "BiasAdd", "Add" }), ("num_args", 2));

        var act = () => tf.execute("_FusedMatMul", new[] { tf.zeros(new Shape(3, 5)), tf.zeros(new Shape(5, 4)), tf.zeros(new Shape(4)), tf.zeros(new Shape(4)) }, attrs);

        act.Should().Throw<OpException>().Which.Detail.Should().Contain("[3,4]");
    }
}
