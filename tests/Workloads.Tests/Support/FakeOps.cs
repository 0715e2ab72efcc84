using System.Reflection;
using System.Runtime.InteropServices;
using OnSram.Accelerator;
using OnSram.Runtime;
using OnSram.Runtime.Ops;
using OnSram.Speculation.Events;

namespace OnSram.Workloads.Tests.Support;

/// <summary>
/// Test doubles for the op types the workloads emit, used by <see cref="Contexts"/> only for op types
/// the runtime's registry does not define yet (they are built on other branches). Shapes follow
/// TensorFlow's shape functions (SAME: out = ceil(in / stride), the odd pad at the end; VALID:
/// out = ceil((in - (k - 1) * d) / stride)); kernels are naive float32 loops, enough to check that the
/// layers compose ops correctly. FLOPs, units and traits are not modelled (zero, Vector, elementwise).
/// </summary>
public static class FakeOps
{
    public static IReadOnlyList<IOpDefinition> All { get; } = Build();

    private static IOpDefinition[] Build()
    {
        var ops = new List<IOpDefinition>
        {
            new FakeOp("Conv2D", Conv.Shape, Conv.Run),
            new FakeOp("_FusedConv2D", Conv.Shape, Conv.Run),
            new FakeOp("DepthwiseConv2dNative", Conv.DepthwiseShape, Conv.RunDepthwise),
            new FakeOp("MatMul", Matrix.MatMulShape, Matrix.RunMatMul),
            new FakeOp("_FusedMatMul", Matrix.MatMulShape, Matrix.RunMatMul),
            new FakeOp("BatchMatMulV2", Matrix.BatchShape, Matrix.RunBatch),
            new FakeOp("BiasAdd", Same, (inv, i, o) => Elementwise.BiasAdd(i[0], i[1], o[0])),
            new FakeOp("FusedBatchNormV3", Same, (inv, i, o) => Write(o[0], Elementwise.BatchNorm(inv, i[0], i[1], i[2], i[3], i[4], inv.Float("epsilon", 1e-4)))),
            new FakeOp("Softmax", Same, (inv, i, o) => Write(o[0], Elementwise.Softmax(i[0]))),
            new FakeOp("LRN", Same, Elementwise.Lrn),
            new FakeOp("MaxPool", Pool.Shape, (inv, i, o) => Pool.Run(inv, i, o, max: true)),
            new FakeOp("AvgPool", Pool.Shape, (inv, i, o) => Pool.Run(inv, i, o, max: false)),
            new FakeOp("Mean", Reduce.Shape, (inv, i, o) => Reduce.Run(inv, i, o, "mean")),
            new FakeOp("Sum", Reduce.Shape, (inv, i, o) => Reduce.Run(inv, i, o, "sum")),
            new FakeOp("Max", Reduce.Shape, (inv, i, o) => Reduce.Run(inv, i, o, "max")),
            new FakeOp("Transpose", Arrays.TransposeShape, Arrays.Transpose),
            new FakeOp("ConcatV2", Arrays.ConcatShape, Arrays.Concat),
            new FakeOp("Pad", Arrays.PadShape, Arrays.Pad),
            new FakeOp("StridedSlice", Arrays.StridedSliceShape, Arrays.StridedSlice),
            new FakeOp("GatherV2", Arrays.GatherShape, Arrays.Gather),
            new FakeOp("Reshape", Arrays.ReshapeShape, null, view: true),
            new FakeOp("ExpandDims", Arrays.ExpandDimsShape, null, view: true),
        };
        foreach (var (name, f) in new (string, Func<double, double>)[]
        {
            ("Relu", x => Math.Max(x, 0)), ("Relu6", x => Math.Min(Math.Max(x, 0), 6)), ("Elu", x => x > 0 ? x : Math.Exp(x) - 1),
            ("Sigmoid", x => 1 / (1 + Math.Exp(-x))), ("Tanh", Math.Tanh), ("Rsqrt", x => 1 / Math.Sqrt(x)),
            ("Square", x => x * x), ("Erf", Elementwise.Erf), ("Neg", x => -x),
        })
        {
            ops.Add(new FakeOp(name, Same, (inv, i, o) => Write(o[0], Read(i[0]).Select(f).ToArray())));
        }
        foreach (var (name, f) in new (string, Func<double, double, double>)[]
        {
            ("AddV2", (a, b) => a + b), ("Sub", (a, b) => a - b), ("Mul", (a, b) => a * b), ("RealDiv", (a, b) => a / b),
            ("SquaredDifference", (a, b) => (a - b) * (a - b)), ("Maximum", Math.Max), ("Minimum", Math.Min),
        })
        {
            ops.Add(new FakeOp(name, Elementwise.BroadcastShape, (inv, i, o) => Elementwise.Broadcast(i[0], i[1], o[0], f)));
        }
        return ops.ToArray();
    }

    private static TensorSpec[] Same(OpInvocation inv) => new[] { inv.Inputs[0] };

    // The runtime offers no public way to fill an op's output, so the doubles write through the
    // internal storage; looked up only when a double's kernel runs.
    private static readonly Lazy<PropertyInfo> s_buffer = new(() => typeof(Tensor).GetProperty("Buffer", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new InvalidOperationException("Tensor.Buffer not found"));

    internal static double[] Read(Tensor t) => t.ToDoubleArray();

    internal static void Write(Tensor t, double[] values)
    {
        if (t.dtype != DType.Float32)
        {
            throw new NotSupportedException($"test doubles write float32 only, got {t.dtype.Name()}");
        }
        var span = MemoryMarshal.Cast<byte, float>(((byte[])s_buffer.Value.GetValue(t)!).AsSpan());
        for (var i = 0; i < values.Length; i++)
        {
            span[i] = (float)values[i];
        }
    }

    internal static long[] Dims(TensorSpec s) => s.Shape.ToArray();

    internal static long[] Dims(Tensor t) => t.shape.ToArray();

    /// <summary>TensorFlow's output size and leading pad for one spatial dimension.</summary>
    internal static (long Out, long PadBefore) Window(OpInvocation inv, long input, long k, long stride, long dilation, string padding)
    {
        var eff = (k - 1) * dilation + 1;
        if (padding == "SAME")
        {
            var o = (input + stride - 1) / stride;
            var total = Math.Max((o - 1) * stride + eff - input, 0);
            return (o, total / 2);
        }
        if (input < eff)
        {
            throw inv.Error($"window {eff} larger than input {input} with VALID padding", "padding");
        }
        return ((input - eff) / stride + 1, 0);
    }

    private sealed class FakeOp(string opType, Func<OpInvocation, TensorSpec[]> shape, Action<OpInvocation, Tensor[], Tensor[]>? kernel, bool view = false)
        : IOpDefinition
    {
        public string OpType => opType;

        public OpPlan Plan(OpInvocation invocation)
        {
            var outs = shape(invocation);
            if (view)
            {
                return new ViewPlan(outs[0]);
            }
            return new DelegatePlan(outs, 0, ComputeUnit.Vector, OpTraits.Elementwise, (i, o) => kernel!(invocation, i, o));
        }
    }
}
