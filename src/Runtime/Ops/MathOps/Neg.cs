using System.Numerics.Tensors;
using OnSram.Runtime.Kernels;

namespace OnSram.Runtime.Ops.MathOps;

/// <summary>
/// <c>Neg</c>: -x elementwise. Dtypes: float32, float16, bfloat16, float64, int32 or int64 (half types computed in float32); integers wrap (-int.MinValue is int.MinValue).
/// FLOPs: 1 per element. Unit: vector. InputReuse: 1.
/// </summary>
public sealed class Neg : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "Neg";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation) => Elementwise.PlanUnary<NegFunction>(invocation, Elementwise.NumericTypes, 1);
}

/// <summary>The kernel of <see cref="Neg"/>.</summary>
internal readonly struct NegFunction : IUnaryFunction
{
    public static void Invoke(ReadOnlySpan<float> x, Span<float> destination) =>
        TensorPrimitives.Negate(x, destination);

    public static void Invoke(ReadOnlySpan<double> x, Span<double> destination) =>
        TensorPrimitives.Negate(x, destination);

    public static void Invoke(ReadOnlySpan<int> x, Span<int> destination) =>
        TensorPrimitives.Negate(x, destination);

    public static void Invoke(ReadOnlySpan<long> x, Span<long> destination) =>
        TensorPrimitives.Negate(x, destination);
}
