using OnSram.Accelerator;
using OnSram.Speculation.Events;

namespace OnSram.Runtime.Ops.ArrayOps;

/// <summary>
/// Shared planning helpers of the array (data-movement) ops: reading integer shape arguments,
/// normalizing axes, planning from known outputs when argument values are missing (trace replay).
/// </summary>
internal static class ArrayOpSupport
{
    /// <summary>
    /// The plan of a data-movement op: no arithmetic (0 FLOPs), runs on the vector unit, each input
    /// element read once.
    /// </summary>
    public static DelegatePlan Move(TensorSpec output, Action<Tensor[], Tensor[]> kernel) =>
        new(new[] { output }, 0, ComputeUnit.Vector, OpTraits.Elementwise, kernel);

    /// <summary>
    /// Checks that input <paramref name="index"/> is an int32/int64 tensor of rank <paramref name="rank"/>
    /// (any rank when null; rank 0 also accepts a one-element vector when <paramref name="scalarLike"/>)
    /// and returns its values, or null when they are unknown.
    /// </summary>
    public static long[]? IntArg(OpInvocation inv, int index, string what, int? rank, bool scalarLike = false)
    {
        var spec = inv.Inputs[index];
        if (spec.DType is not (DType.Int32 or DType.Int64))
        {
            throw inv.Error($"'{what}' (input {index}) must be int32 or int64, got {spec.DType.Name()}");
        }
        if (rank is { } r && spec.Shape.ndim != r)
        {
            var ok = scalarLike && r == 0 && spec.Shape.ndim == 1 && spec.Shape.size == 1;
            if (!ok)
            {
                var want = r == 0 ? (scalarLike ? "a scalar or a one-element vector" : "a scalar") : $"rank {r}";
                throw inv.Error($"'{what}' (input {index}) must be {want}, got shape {spec.Shape.ToCompactString()}");
            }
        }
        return inv.ConstantValues(index);
    }

    /// <summary>
    /// Normalizes an axis given as an input value to [0, <paramref name="rank"/>) from
    /// [-rank, rank), or throws naming the input.
    /// </summary>
    public static int Axis(OpInvocation inv, long axis, int rank, string what)
    {
        var a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
        {
            var range = rank == 0 ? "no valid value for a scalar" : $"expected a value in [{-rank}, {rank})";
            throw inv.Error($"'{what}' {axis} is out of range for rank {rank} ({range})");
        }
        return (int)a;
    }

    /// <summary>
    /// The single output spec when an argument's values are unknown: taken from
    /// <see cref="OpInvocation.KnownOutputs"/> and checked against what is certain (the dtype, and the
    /// element count when <paramref name="elements"/> is given). Without known outputs, throws the
    /// error of <see cref="OpInvocation.RequireConstant"/> for input <paramref name="valueInput"/>.
    /// </summary>
    public static TensorSpec KnownOutput(OpInvocation inv, int valueInput, string what, DType dtype, long? elements = null, int? rank = null)
    {
        if (inv.KnownOutputs is not { } known)
        {
            inv.RequireConstant(valueInput, what);
            throw inv.Error($"needs the value of input {valueInput} ('{what}')"); // unreachable: RequireConstant threw
        }
        if (known.Length != 1)
        {
            throw inv.Error($"has 1 output, but {known.Length} known outputs were given");
        }
        var o = known[0];
        if (o.DType != dtype)
        {
            throw inv.Error($"known output {o} does not have the dtype {dtype.Name()} this op produces");
        }
        if (elements is { } e && o.Shape.size != e)
        {
            throw inv.Error($"known output {o} has {o.Shape.size} elements, but this op produces {e}");
        }
        if (rank is { } r && o.Shape.ndim != r)
        {
            throw inv.Error($"known output {o} has rank {o.Shape.ndim}, but this op produces rank {r}");
        }
        return o;
    }

    /// <summary>
    /// A plan from a known output whose kernel cannot run (the argument values are unknown). It is never
    /// executed in practice: such arguments exist only in meta mode or trace replay, where no kernel runs.
    /// </summary>
    public static DelegatePlan Unknown(OpInvocation inv, TensorSpec output, int valueInput, string what) =>
        Move(output, (_, _) => throw inv.Error($"cannot compute without the value of input {valueInput} ('{what}')"));
}
