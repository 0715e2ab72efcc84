namespace OnSram.Runtime.Ops.ArrayOps;

/// <summary>
/// <c>PadV2(input, paddings, constant_values)</c>: pads with <c>constant_values</c>, a scalar of the
/// input's dtype; <c>paddings</c> as for <c>Pad</c>. A copy. Every dtype is accepted.
/// </summary>
public sealed class PadV2 : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "PadV2";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation)
    {
        invocation.ExpectInputs(3);
        var c = invocation.Inputs[2];
        if (c.DType != invocation.Inputs[0].DType)
        {
            throw invocation.Error($"'constant_values' (input 2) has dtype {c.DType.Name()}, but the input has {invocation.Inputs[0].DType.Name()}");
        }
        if (c.Shape.ndim != 0)
        {
            throw invocation.Error($"'constant_values' (input 2) must be a scalar, got shape {c.Shape.ToCompactString()}");
        }
        return Padding.Plan(invocation, Padding.Mode.Constant, ins => ins[2].Buffer);
    }
}
