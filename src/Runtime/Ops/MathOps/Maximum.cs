using System.Numerics;
using System.Numerics.Tensors;
using OnSram.Runtime.Kernels;

namespace OnSram.Runtime.Ops.MathOps;

/// <summary>
/// <c>Maximum</c>: max(x, y) elementwise (NaN propagates), with NumPy/TensorFlow broadcasting (shapes aligned from the right; a dimension of 1
/// stretches). Both inputs must have the same dtype: float32, float16, bfloat16, float64, int32 or int64.
/// FLOPs: 1 per output element. Unit: vector. InputReuse: 1.
/// </summary>
public sealed class Maximum : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "Maximum";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation) => Elementwise.PlanBinary<MaximumFunction>(invocation, Elementwise.NumericTypes, 1);
}

/// <summary>The kernel of <see cref="Maximum"/>.</summary>
internal readonly struct MaximumFunction : IBinaryFunction
{
    public static void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) where T : unmanaged, INumber<T> =>
        TensorPrimitives.Max(x, y, destination);

    public static void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> destination) where T : unmanaged, INumber<T> =>
        TensorPrimitives.Max(x, y, destination);

    public static void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> destination) where T : unmanaged, INumber<T> =>
        TensorPrimitives.Max(y, x, destination);
}
