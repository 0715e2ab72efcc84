using OnSram.Accelerator;
using OnSram.Runtime.Ops;
using OnSram.Speculation.Events;

namespace OnSram.Runtime.Tests.Traces;

/// <summary>
/// Test-only stand-ins for the op types of the TensorFlow.js example trace, planned with TensorFlow's
/// signatures (Mean takes reduction_indices as input 1, ConcatV2 takes the axis as input N) and computing
/// output shapes themselves rather than trusting the trace, so a reader test can see that every line
/// plans, that attribute-held axes reach the op as constant inputs, and that FLOPs pass through.
/// </summary>
public static class TfSignatureFakes
{
    public static OpRegistry Registry { get; } = OpRegistry.Default.With(
        new FakeOp("Conv2D", inv => Conv(inv, depthwise: false)),
        new FakeOp("DepthwiseConv2dNative", inv => Conv(inv, depthwise: true)),
        new FakeOp("FusedBatchNormV3", inv =>
        {
            inv.ExpectInputs(5);
            return Elementwise(inv, 2);
        }),
        new FakeOp("Relu", inv => Elementwise(inv, 1)),
        new FakeOp("Relu6", inv => Elementwise(inv, 1)),
        new FakeOp("Softmax", inv => Elementwise(inv, 1)),
        new FakeOp("AddV2", inv =>
        {
            inv.ExpectInputs(2);
            var a = inv.Inputs[0].Shape;
            var b = inv.Inputs[1].Shape;
            var outShape = a.ndim >= b.ndim ? a : b;
            return new FakePlan([new TensorSpec(outShape, inv.Inputs[0].DType)], outShape.size, ComputeUnit.Vector, OpTraits.Elementwise);
        }),
        new FakeOp("ConcatV2", inv =>
        {
            var n = (int)inv.Int("N");
            inv.ExpectInputs(n + 1);
            var axisValues = inv.RequireConstant(n, "axis");
            var rank = inv.Inputs[0].Shape.ndim;
            var axis = inv.Axis(axisValues[0], rank);
            var dims = inv.Inputs[0].Shape.ToArray();
            dims[axis] = inv.Inputs.Take(n).Sum(s => s.Shape[axis]);
            var outShape = new Shape(dims);
            return new FakePlan([new TensorSpec(outShape, inv.Inputs[0].DType)], 0, ComputeUnit.Vector, OpTraits.Elementwise);
        }),
        new FakeOp("MaxPool", inv =>
        {
            inv.ExpectInputs(1);
            var k = inv.Ints("ksize");
            var s = inv.Ints("strides");
            var x = inv.Inputs[0].Shape;
            var same = inv.String("padding", null, "SAME", "VALID") == "SAME";
            var ho = OutSize(x[1], k[1], s[1], same);
            var wo = OutSize(x[2], k[2], s[2], same);
            var outShape = new Shape(x[0], ho, wo, x[3]);
            return new FakePlan([new TensorSpec(outShape, inv.Inputs[0].DType)], outShape.size * k[1] * k[2], ComputeUnit.Vector,
                new OpTraits(1, (int)k[1], (int)k[2], (int)s[1], (int)s[2]));
        }),
        new FakeOp("Mean", inv =>
        {
            inv.ExpectInputs(2);
            var axes = inv.RequireConstant(1, "reduction_indices").Select(a => inv.Axis(a, inv.Inputs[0].Shape.ndim)).ToHashSet();
            var keep = inv.Bool("keep_dims", false);
            var x = inv.Inputs[0].Shape.ToArray();
            var dims = keep
                ? x.Select((d, i) => axes.Contains(i) ? 1 : d).ToArray()
                : x.Where((_, i) => !axes.Contains(i)).ToArray();
            return new FakePlan([new TensorSpec(new Shape(dims), inv.Inputs[0].DType)], inv.Inputs[0].Shape.size, ComputeUnit.Vector, OpTraits.Elementwise);
        }),
        new FakeOp("MatMul", inv =>
        {
            inv.ExpectInputs(2);
            var a = inv.Inputs[0].Shape;
            var b = inv.Inputs[1].Shape;
            var (m, k) = inv.Bool("transpose_a", false) ? (a[1], a[0]) : (a[0], a[1]);
            var (k2, n) = inv.Bool("transpose_b", false) ? (b[1], b[0]) : (b[0], b[1]);
            if (k != k2)
            {
                throw inv.Error("inner dimensions differ");
            }
            return new FakePlan([new TensorSpec(new Shape(m, n), inv.Inputs[0].DType)], 2.0 * m * n * k, ComputeUnit.Matrix, new OpTraits(n));
        }));

    private static FakePlan Elementwise(OpInvocation inv, double flopsPerElement) =>
        new([inv.Inputs[0]], flopsPerElement * inv.Inputs[0].Shape.size, ComputeUnit.Vector, OpTraits.Elementwise);

    private static long OutSize(long size, long k, long stride, bool same) =>
        same ? (size + stride - 1) / stride : (size - k) / stride + 1;

    private static FakePlan Conv(OpInvocation inv, bool depthwise)
    {
        inv.ExpectInputs(2);
        var x = inv.Inputs[0].Shape;
        var f = inv.Inputs[1].Shape;
        var s = inv.Ints("strides");
        var same = inv.String("padding", null, "SAME", "VALID") == "SAME";
        if (x[3] != f[2])
        {
            throw inv.Error($"input has {x[3]} channels, filter expects {f[2]}");
        }
        var ho = OutSize(x[1], f[0], s[1], same);
        var wo = OutSize(x[2], f[1], s[2], same);
        var cout = depthwise ? f[2] * f[3] : f[3];
        var outShape = new Shape(x[0], ho, wo, cout);
        var flops = 2.0 * x[0] * ho * wo * f[0] * f[1] * (depthwise ? f[3] * f[2] : f[2] * f[3]);
        var reuse = depthwise ? f[0] * f[1] : f[0] * f[1] * f[3];
        return new FakePlan([new TensorSpec(outShape, inv.Inputs[0].DType)], flops, ComputeUnit.Matrix,
            new OpTraits(reuse, (int)f[0], (int)f[1], (int)s[1], (int)s[2]));
    }
}
