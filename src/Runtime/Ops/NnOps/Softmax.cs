using System.Numerics.Tensors;
using OnSram.Accelerator;
using OnSram.Runtime.Kernels;
using OnSram.Speculation.Events;

namespace OnSram.Runtime.Ops.NnOps;

/// <summary>
/// <c>Softmax</c>: exp(x - max) / sum(exp(x - max)) over the last dimension (numerically stable:
/// the row maximum is subtracted first). Input rank &gt;= 1; dtypes float32, float16, bfloat16
/// (computed in float32) or float64.
/// FLOPs: 5 per element (max, subtract, exp, sum, divide). Unit: vector. InputReuse: 1.
/// </summary>
public sealed class Softmax : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "Softmax";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation)
    {
        invocation.ExpectInputs(1);
        invocation.ExpectDType(0, Elementwise.FloatTypes);
        var logits = invocation.Inputs[0];
        if (logits.Shape.ndim < 1)
        {
            throw invocation.Error($"logits must have at least 1 dimension, got shape {logits.Shape.ToCompactString()}");
        }
        var depth = (int)logits.Shape.dims[^1];
        return new DelegatePlan([logits], 5.0 * logits.Shape.size, ComputeUnit.Vector, OpTraits.Elementwise,
            (inputs, outputs) => Run(inputs[0], outputs[0], depth));
    }

    private static void Run(Tensor x, Tensor y, int depth)
    {
        if (depth == 0 || x.size == 0)
        {
            return;
        }
        switch (x.dtype)
        {
            case DType.Float32:
                Rows(x.Data<float>(), y.Data<float>(), depth);
                break;
            case DType.Float64:
                Rows(x.Data<double>(), y.Data<double>(), depth);
                break;
            default:
                {
                    var buffer = TensorData.ReadFloats(x);
                    Rows(buffer, buffer, depth);
                    TensorData.WriteFloats(y, buffer);
                    break;
                }
        }
    }

    private static void Rows(ReadOnlySpan<float> x, Span<float> y, int depth)
    {
        for (var o = 0; o < x.Length; o += depth)
        {
            var src = x.Slice(o, depth);
            var dst = y.Slice(o, depth);
            TensorPrimitives.Subtract(src, TensorPrimitives.Max(src), dst);
            TensorPrimitives.Exp(dst, dst);
            TensorPrimitives.Divide(dst, TensorPrimitives.Sum<float>(dst), dst);
        }
    }

    private static void Rows(ReadOnlySpan<double> x, Span<double> y, int depth)
    {
        for (var o = 0; o < x.Length; o += depth)
        {
            var src = x.Slice(o, depth);
            var dst = y.Slice(o, depth);
            TensorPrimitives.Subtract(src, TensorPrimitives.Max(src), dst);
            TensorPrimitives.Exp(dst, dst);
            TensorPrimitives.Divide(dst, TensorPrimitives.Sum<double>(dst), dst);
        }
    }
}
