namespace OnSram.Runtime.Ops.ArrayOps;

/// <summary>
/// <c>Squeeze(input)</c>: removes dimensions of size 1. Attribute <c>squeeze_dims</c> lists the
/// dimensions to remove (in [-rank, rank); each must have size 1); empty or absent removes every
/// size-1 dimension. A view: same buffer, same tensor id, no event. Every dtype is accepted.
/// </summary>
public sealed class Squeeze : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "Squeeze";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation)
    {
        invocation.ExpectInputs(1);
        var input = invocation.Inputs[0];
        var shape = input.Shape;
        var rank = shape.ndim;
        var named = invocation.Ints("squeeze_dims", Array.Empty<long>());
        var drop = new bool[rank];
        if (named.Length == 0)
        {
            for (var i = 0; i < rank; i++)
            {
                drop[i] = shape[i] == 1;
            }
        }
        else
        {
            foreach (var d in named)
            {
                var a = d < 0 ? d + rank : d;
                if (a < 0 || a >= rank)
                {
                    throw invocation.Error($"dimension {d} is out of range for rank {rank} (expected a value in [{-rank}, {rank}))", "squeeze_dims");
                }
                if (shape[(int)a] != 1)
                {
                    throw invocation.Error($"cannot squeeze dimension {d}: it has size {shape[(int)a]}, not 1", "squeeze_dims");
                }
                drop[a] = true;
            }
        }
        var dims = new List<long>(rank);
        for (var i = 0; i < rank; i++)
        {
            if (!drop[i])
            {
                dims.Add(shape[i]);
            }
        }
        return new ViewPlan(new TensorSpec(new Shape(dims.ToArray()), input.DType));
    }
}
