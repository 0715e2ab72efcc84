using System.Numerics;
using System.Numerics.Tensors;
using OnSram.Runtime.Kernels;

namespace OnSram.Runtime.Ops.MathOps;

/// <summary>
/// <c>Minimum</c>: min(x, y) elementwise (NaN propagates), with NumPy/TensorFlow broadcasting (shapes aligned from the right; a dimension of 1
/// stretches). Both inputs must have the same dtype: float32, float16, bfloat16, float64, int32 or int64.
/// FLOPs: 1 per output element. Unit: vector. InputReuse: 1.
/// </summary>
public sealed class Minimum : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "Minimum";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation) => Elementwise.PlanBinary<MinimumFunction>(invocation, Elementwise.NumericTypes, 1);
}

/// <summary>The kernel of <see cref="Minimum"/>.</summary>
internal readonly struct MinimumFunction : IBinaryFunction
{
    public static void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) where T : unmanaged, INumber<T> =>
        TensorPrimitives.Min(x, y, destination);

    public static void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> destination) where T : unmanaged, INumber<T> =>
        TensorPrimitives.Min(x, y, destination);

    public static void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> destination) where T : unmanaged, INumber<T> =>
        TensorPrimitives.Min(y, x, destination);
}
