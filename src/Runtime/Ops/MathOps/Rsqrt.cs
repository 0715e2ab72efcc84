using System.Numerics.Tensors;
using OnSram.Runtime.Kernels;

namespace OnSram.Runtime.Ops.MathOps;

/// <summary>
/// <c>Rsqrt</c>: 1 / sqrt(x) (+inf at 0, NaN for negative x) elementwise. Dtypes: float32, float16, bfloat16 or float64 (half types computed in float32).
/// FLOPs: 1 per element. Unit: vector. InputReuse: 1.
/// </summary>
public sealed class Rsqrt : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "Rsqrt";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation) => Elementwise.PlanUnary<RsqrtFunction>(invocation, Elementwise.FloatTypes, 1);
}

/// <summary>The kernel of <see cref="Rsqrt"/>.</summary>
internal readonly struct RsqrtFunction : IUnaryFunction
{
    public static void Invoke(ReadOnlySpan<float> x, Span<float> destination) =>
        TensorPrimitives.ReciprocalSqrt(x, destination);

    public static void Invoke(ReadOnlySpan<double> x, Span<double> destination) =>
        TensorPrimitives.ReciprocalSqrt(x, destination);
}
