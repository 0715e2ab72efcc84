namespace OnSram.Runtime.Ops.ArrayOps;

/// <summary>
/// <c>Pad(input, paddings)</c>: pads with zeros; <c>paddings</c> is an int32/int64 [rank, 2] tensor of
/// non-negative (before, after) amounts. A copy. Every dtype is accepted (zero is all-zero bytes: 0,
/// +0.0, false).
/// </summary>
public sealed class Pad : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "Pad";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation)
    {
        invocation.ExpectInputs(2);
        return Padding.Plan(invocation, Padding.Mode.Constant, _ => null);
    }
}
