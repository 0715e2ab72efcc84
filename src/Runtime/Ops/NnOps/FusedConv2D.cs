namespace OnSram.Runtime.Ops.NnOps;

/// <summary>
/// <c>_FusedConv2D</c>, grappler's fused form: inputs (input, filter, args...), the Conv2D attributes plus
/// <c>fused_ops</c>, <c>num_args</c>, <c>epsilon</c> and <c>leakyrelu_alpha</c>. Computes the convolution
/// then the epilogue (BiasAdd or FusedBatchNorm, optional Add, optional Relu/Relu6/Elu/LeakyRelu) in
/// float32, equal to the unfused sequence. Unit: Matrix; FLOPs add the epilogue's elementwise FLOPs.
/// </summary>
public sealed class FusedConv2D : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "_FusedConv2D";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation) => Conv2DPlan.Create(invocation, fused: true);
}
