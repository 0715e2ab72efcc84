namespace OnSram.Runtime.Ops.NnOps;

/// <summary>
/// <c>Conv2D</c>: NHWC 2-D convolution (filter [Kh, Kw, Cin, Cout]; grouped when the input depth is a
/// multiple of the filter's in-depth), computed by an implicit-im2col blocked GEMM. Unit: Matrix.
/// See <see cref="Conv2DPlan"/> for attributes, dtypes, FLOPs and traits.
/// </summary>
public sealed class Conv2D : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "Conv2D";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation) => Conv2DPlan.Create(invocation, fused: false);
}
