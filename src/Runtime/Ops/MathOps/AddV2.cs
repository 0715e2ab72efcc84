using System.Numerics;
using System.Numerics.Tensors;
using OnSram.Runtime.Kernels;

namespace OnSram.Runtime.Ops.MathOps;

/// <summary>
/// <c>AddV2</c>: x + y elementwise, with NumPy/TensorFlow broadcasting (shapes aligned from the right; a dimension of 1
/// stretches). Both inputs must have the same dtype: float32, float16, bfloat16, float64, int32 or int64 (integers wrap on overflow).
/// FLOPs: 1 per output element. Unit: vector. InputReuse: 1.
/// </summary>
public sealed class AddV2 : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "AddV2";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation) => Elementwise.PlanBinary<AddV2Function>(invocation, Elementwise.NumericTypes, 1);
}

/// <summary>The kernel of <see cref="AddV2"/>.</summary>
internal readonly struct AddV2Function : IBinaryFunction
{
    public static void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) where T : unmanaged, INumber<T> =>
        TensorPrimitives.Add(x, y, destination);

    public static void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> destination) where T : unmanaged, INumber<T> =>
        TensorPrimitives.Add(x, y, destination);

    public static void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> destination) where T : unmanaged, INumber<T> =>
        TensorPrimitives.Add(y, x, destination);
}
