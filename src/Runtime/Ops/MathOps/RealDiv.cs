using System.Numerics;
using System.Numerics.Tensors;
using OnSram.Runtime.Kernels;

namespace OnSram.Runtime.Ops.MathOps;

/// <summary>
/// <c>RealDiv</c>: x / y elementwise, with NumPy/TensorFlow broadcasting (shapes aligned from the right; a dimension of 1
/// stretches). Both inputs must have the same dtype: float32, float16, bfloat16 or float64 (TensorFlow has no integer RealDiv kernel: integers are rejected).
/// FLOPs: 1 per output element. Unit: vector. InputReuse: 1.
/// </summary>
public sealed class RealDiv : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "RealDiv";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation) => Elementwise.PlanBinary<RealDivFunction>(invocation, Elementwise.FloatTypes, 1);
}

/// <summary>The kernel of <see cref="RealDiv"/>.</summary>
internal readonly struct RealDivFunction : IBinaryFunction
{
    public static void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) where T : unmanaged, INumber<T> =>
        TensorPrimitives.Divide(x, y, destination);

    public static void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> destination) where T : unmanaged, INumber<T> =>
        TensorPrimitives.Divide(x, y, destination);

    public static void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> destination) where T : unmanaged, INumber<T> =>
        TensorPrimitives.Divide(x, y, destination);
}
