using System.Numerics.Tensors;
using OnSram.Runtime.Kernels;

namespace OnSram.Runtime.Ops.MathOps;

/// <summary>
/// <c>Sqrt</c>: sqrt(x) (NaN for negative x) elementwise. Dtypes: float32, float16, bfloat16 or float64 (half types computed in float32).
/// FLOPs: 1 per element. Unit: vector. InputReuse: 1.
/// </summary>
public sealed class Sqrt : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "Sqrt";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation) => Elementwise.PlanUnary<SqrtFunction>(invocation, Elementwise.FloatTypes, 1);
}

/// <summary>The kernel of <see cref="Sqrt"/>.</summary>
internal readonly struct SqrtFunction : IUnaryFunction
{
    public static void Invoke(ReadOnlySpan<float> x, Span<float> destination) =>
        TensorPrimitives.Sqrt(x, destination);

    public static void Invoke(ReadOnlySpan<double> x, Span<double> destination) =>
        TensorPrimitives.Sqrt(x, destination);
}
