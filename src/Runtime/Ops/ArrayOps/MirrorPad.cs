namespace OnSram.Runtime.Ops.ArrayOps;

/// <summary>
/// <c>MirrorPad(input, paddings)</c>: pads by mirroring the input. Attribute <c>mode</c> (required) is
/// <c>REFLECT</c> (edge not repeated; each padding at most size-1) or <c>SYMMETRIC</c> (edge repeated;
/// each padding at most size). <c>paddings</c> as for <c>Pad</c>. A copy. Every dtype is accepted.
/// </summary>
public sealed class MirrorPad : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "MirrorPad";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation)
    {
        invocation.ExpectInputs(2);
        var mode = invocation.String("mode", null, "REFLECT", "SYMMETRIC") == "REFLECT" ? Padding.Mode.Reflect : Padding.Mode.Symmetric;
        return Padding.Plan(invocation, mode, _ => null);
    }
}
