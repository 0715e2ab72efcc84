using System.Numerics.Tensors;
using OnSram.Runtime.Kernels;

namespace OnSram.Runtime.Ops.NnOps;

/// <summary>
/// <c>Relu</c>: max(x, 0) elementwise. Dtypes: float32, float16, bfloat16, float64, int32 or int64 (half types computed in float32).
/// FLOPs: 1 per element. Unit: vector. InputReuse: 1.
/// </summary>
public sealed class Relu : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "Relu";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation) => Elementwise.PlanUnary<ReluFunction>(invocation, Elementwise.NumericTypes, 1);
}

/// <summary>The kernel of <see cref="Relu"/>.</summary>
internal readonly struct ReluFunction : IUnaryFunction
{
    public static void Invoke(ReadOnlySpan<float> x, Span<float> destination) =>
        TensorPrimitives.Max(x, 0f, destination);

    public static void Invoke(ReadOnlySpan<double> x, Span<double> destination) =>
        TensorPrimitives.Max(x, 0d, destination);

    public static void Invoke(ReadOnlySpan<int> x, Span<int> destination) =>
        TensorPrimitives.Max(x, 0, destination);

    public static void Invoke(ReadOnlySpan<long> x, Span<long> destination) =>
        TensorPrimitives.Max(x, 0L, destination);
}
