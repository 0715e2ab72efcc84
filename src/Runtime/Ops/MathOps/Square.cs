using System.Numerics.Tensors;
using OnSram.Runtime.Kernels;

namespace OnSram.Runtime.Ops.MathOps;

/// <summary>
/// <c>Square</c>: x * x elementwise. Dtypes: float32, float16, bfloat16, float64, int32 or int64 (half types computed in float32); integers wrap.
/// FLOPs: 1 per element. Unit: vector. InputReuse: 1.
/// </summary>
public sealed class Square : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "Square";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation) => Elementwise.PlanUnary<SquareFunction>(invocation, Elementwise.NumericTypes, 1);
}

/// <summary>The kernel of <see cref="Square"/>.</summary>
internal readonly struct SquareFunction : IUnaryFunction
{
    public static void Invoke(ReadOnlySpan<float> x, Span<float> destination) =>
        TensorPrimitives.Multiply(x, x, destination);

    public static void Invoke(ReadOnlySpan<double> x, Span<double> destination) =>
        TensorPrimitives.Multiply(x, x, destination);

    public static void Invoke(ReadOnlySpan<int> x, Span<int> destination) =>
        TensorPrimitives.Multiply(x, x, destination);

    public static void Invoke(ReadOnlySpan<long> x, Span<long> destination) =>
        TensorPrimitives.Multiply(x, x, destination);
}
