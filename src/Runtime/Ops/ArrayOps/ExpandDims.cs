namespace OnSram.Runtime.Ops.ArrayOps;

/// <summary>
/// <c>ExpandDims(input, dim)</c>: inserts a dimension of size 1 at <c>dim</c>, a scalar in
/// [-rank-1, rank] (negative values count from the end, as TensorFlow's). A view: same buffer, same
/// tensor id, no event. Every dtype is accepted.
/// </summary>
public sealed class ExpandDims : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "ExpandDims";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation)
    {
        invocation.ExpectInputs(2);
        var input = invocation.Inputs[0];
        var rank = input.Shape.ndim;
        var values = ArrayOpSupport.IntArg(invocation, 1, "dim", rank: 0, scalarLike: true);
        if (values is null)
        {
            return new ViewPlan(ArrayOpSupport.KnownOutput(invocation, 1, "dim", input.DType, elements: input.Shape.size, rank: rank + 1));
        }
        var dim = values[0];
        if (dim < -rank - 1 || dim > rank)
        {
            throw invocation.Error($"'dim' {dim} is out of range for rank {rank} (expected a value in [{-rank - 1}, {rank}])");
        }
        var axis = (int)(dim < 0 ? dim + rank + 1 : dim);
        var dims = new List<long>(input.Shape.ToArray());
        dims.Insert(axis, 1);
        return new ViewPlan(new TensorSpec(new Shape(dims.ToArray()), input.DType));
    }
}
