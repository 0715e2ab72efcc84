namespace OnSram.Runtime.Ops.MathOps;

/// <summary>
/// <c>MatMul</c>: product of two rank-2 tensors with <c>transpose_a</c> / <c>transpose_b</c>, on the blocked
/// GEMM. Unit: Matrix. See <see cref="MatMulPlan"/> for dtypes, FLOPs and traits.
/// </summary>
public sealed class MatMul : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "MatMul";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation) => MatMulPlan.Create(invocation, fused: false);
}
