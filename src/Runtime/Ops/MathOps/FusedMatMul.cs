namespace OnSram.Runtime.Ops.MathOps;

/// <summary>
/// <c>_FusedMatMul</c>, grappler's fused form: inputs (a, b, args...), the MatMul attributes plus
/// <c>fused_ops</c> ([BiasAdd], optionally Add, optionally Relu/Relu6/Elu/LeakyRelu), <c>num_args</c> and
/// <c>leakyrelu_alpha</c>. FusedBatchNorm is rejected, as TensorFlow's CPU kernel does for matmul.
/// Unit: Matrix; FLOPs add the epilogue's elementwise FLOPs.
/// </summary>
public sealed class FusedMatMul : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "_FusedMatMul";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation) => MatMulPlan.Create(invocation, fused: true);
}
