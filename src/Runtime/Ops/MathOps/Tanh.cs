using System.Numerics.Tensors;
using OnSram.Runtime.Kernels;

namespace OnSram.Runtime.Ops.MathOps;

/// <summary>
/// <c>Tanh</c>: tanh(x) elementwise. Dtypes: float32, float16, bfloat16 or float64 (half types computed in float32).
/// FLOPs: 1 per element. Unit: vector. InputReuse: 1.
/// </summary>
public sealed class Tanh : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "Tanh";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation) => Elementwise.PlanUnary<TanhFunction>(invocation, Elementwise.FloatTypes, 1);
}

/// <summary>The kernel of <see cref="Tanh"/>.</summary>
internal readonly struct TanhFunction : IUnaryFunction
{
    public static void Invoke(ReadOnlySpan<float> x, Span<float> destination) =>
        TensorPrimitives.Tanh(x, destination);

    public static void Invoke(ReadOnlySpan<double> x, Span<double> destination) =>
        TensorPrimitives.Tanh(x, destination);
}
