namespace OnSram.Runtime.Ops.ArrayOps;

/// <summary><c>Identity</c>: returns its input. A view: same buffer, same tensor id, no event.</summary>
public sealed class Identity : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "Identity";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation)
    {
        invocation.ExpectInputs(1);
        return new ViewPlan(invocation.Inputs[0]);
    }
}
