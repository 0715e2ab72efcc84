using System.Numerics.Tensors;
using OnSram.Runtime.Kernels;

namespace OnSram.Runtime.Ops.MathOps;

/// <summary>
/// <c>Exp</c>: e^x elementwise. Dtypes: float32, float16, bfloat16 or float64 (half types computed in float32).
/// FLOPs: 1 per element. Unit: vector. InputReuse: 1.
/// </summary>
public sealed class Exp : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "Exp";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation) => Elementwise.PlanUnary<ExpFunction>(invocation, Elementwise.FloatTypes, 1);
}

/// <summary>The kernel of <see cref="Exp"/>.</summary>
internal readonly struct ExpFunction : IUnaryFunction
{
    public static void Invoke(ReadOnlySpan<float> x, Span<float> destination) =>
        TensorPrimitives.Exp(x, destination);

    public static void Invoke(ReadOnlySpan<double> x, Span<double> destination) =>
        TensorPrimitives.Exp(x, destination);
}
