using System.Numerics.Tensors;
using OnSram.Runtime.Kernels;

namespace OnSram.Runtime.Ops.NnOps;

/// <summary>
/// <c>Relu6</c>: min(max(x, 0), 6) elementwise. Dtypes: float32, float16, bfloat16, float64, int32 or int64 (half types computed in float32).
/// FLOPs: 1 per element. Unit: vector. InputReuse: 1.
/// </summary>
public sealed class Relu6 : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "Relu6";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation) => Elementwise.PlanUnary<Relu6Function>(invocation, Elementwise.NumericTypes, 1);
}

/// <summary>The kernel of <see cref="Relu6"/>.</summary>
internal readonly struct Relu6Function : IUnaryFunction
{
    public static void Invoke(ReadOnlySpan<float> x, Span<float> destination) =>
        TensorPrimitives.Clamp(x, 0f, 6f, destination);

    public static void Invoke(ReadOnlySpan<double> x, Span<double> destination) =>
        TensorPrimitives.Clamp(x, 0d, 6d, destination);

    public static void Invoke(ReadOnlySpan<int> x, Span<int> destination) =>
        TensorPrimitives.Clamp(x, 0, 6, destination);

    public static void Invoke(ReadOnlySpan<long> x, Span<long> destination) =>
        TensorPrimitives.Clamp(x, 0L, 6L, destination);
}
