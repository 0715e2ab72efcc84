using System.Numerics;
using System.Numerics.Tensors;
using OnSram.Runtime.Kernels;

namespace OnSram.Runtime.Ops.MathOps;

/// <summary>
/// <c>SquaredDifference</c>: (x - y)^2 elementwise, with NumPy/TensorFlow broadcasting. Both inputs
/// must have the same dtype: float32, float16, bfloat16, float64, int32 or int64 (integers wrap).
/// FLOPs: 2 per output element (a subtraction and a multiplication). Unit: vector. InputReuse: 1.
/// </summary>
public sealed class SquaredDifference : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "SquaredDifference";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation) =>
        Elementwise.PlanBinary<SquaredDifferenceFunction>(invocation, Elementwise.NumericTypes, 2);
}

/// <summary>The kernel of <see cref="SquaredDifference"/>: a subtraction, then squaring in place.</summary>
internal readonly struct SquaredDifferenceFunction : IBinaryFunction
{
    public static void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) where T : unmanaged, INumber<T>
    {
        TensorPrimitives.Subtract(x, y, destination);
        TensorPrimitives.Multiply(destination, destination, destination);
    }

    public static void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> destination) where T : unmanaged, INumber<T>
    {
        TensorPrimitives.Subtract(x, y, destination);
        TensorPrimitives.Multiply(destination, destination, destination);
    }

    public static void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> destination) where T : unmanaged, INumber<T>
    {
        TensorPrimitives.Subtract(x, y, destination);
        TensorPrimitives.Multiply(destination, destination, destination);
    }
}
