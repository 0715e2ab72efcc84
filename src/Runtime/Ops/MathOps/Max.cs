using OnSram.Runtime.Kernels;

namespace OnSram.Runtime.Ops.MathOps;

/// <summary>
/// <c>Max</c>: the maximum (NaN propagates, as in TensorFlow since 2.4; -inf, or the integer type's lowest value, for an empty reduction) over the axes given by input 1 (<c>reduction_indices</c>, int32 or int64, scalar or
/// 1-D; negative axes count from the end, duplicates allowed, an empty list copies the input).
/// Attribute <c>keep_dims</c> (default false) keeps reduced dimensions with size 1.
/// Dtypes: float32, float16, bfloat16, float64, int32, int64 (half types accumulate in float32).
/// FLOPs: 1 per input element. Unit: vector. InputReuse: 1.
/// </summary>
public sealed class Max : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "Max";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation) => Reduction.Plan(invocation, ReduceKind.Max);
}
