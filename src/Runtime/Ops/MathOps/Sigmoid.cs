using System.Numerics.Tensors;
using OnSram.Runtime.Kernels;

namespace OnSram.Runtime.Ops.MathOps;

/// <summary>
/// <c>Sigmoid</c>: the logistic function 1 / (1 + e^-x) elementwise. Dtypes: float32, float16, bfloat16 or float64 (half types computed in float32).
/// FLOPs: 1 per element. Unit: vector. InputReuse: 1.
/// </summary>
public sealed class Sigmoid : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "Sigmoid";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation) => Elementwise.PlanUnary<SigmoidFunction>(invocation, Elementwise.FloatTypes, 1);
}

/// <summary>The kernel of <see cref="Sigmoid"/>.</summary>
internal readonly struct SigmoidFunction : IUnaryFunction
{
    public static void Invoke(ReadOnlySpan<float> x, Span<float> destination) =>
        TensorPrimitives.Sigmoid(x, destination);

    public static void Invoke(ReadOnlySpan<double> x, Span<double> destination) =>
        TensorPrimitives.Sigmoid(x, destination);
}
