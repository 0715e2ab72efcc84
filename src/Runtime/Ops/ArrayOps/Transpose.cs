namespace OnSram.Runtime.Ops.ArrayOps;

/// <summary>
/// <c>Transpose(x, perm)</c>: output dimension i is input dimension <c>perm[i]</c>; <c>perm</c> is an
/// int32/int64 permutation of [0, rank). A copy (a new tensor). Every dtype is accepted.
/// </summary>
public sealed class Transpose : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "Transpose";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation)
    {
        invocation.ExpectInputs(2);
        var input = invocation.Inputs[0];
        var rank = input.Shape.ndim;
        var permSpec = invocation.Inputs[1].Shape;
        var perm = ArrayOpSupport.IntArg(invocation, 1, "perm", rank: 1);
        if (permSpec.size != rank)
        {
            throw invocation.Error($"'perm' has {permSpec.size} entries, but the input has rank {rank}");
        }
        if (perm is null)
        {
            var known = ArrayOpSupport.KnownOutput(invocation, 1, "perm", input.DType, elements: input.Shape.size, rank: rank);
            return ArrayOpSupport.Unknown(invocation, known, 1, "perm");
        }
        var seen = new bool[rank];
        foreach (var p in perm)
        {
            if (p < 0 || p >= rank)
            {
                throw invocation.Error($"'perm' {Shape.Format(perm)}: {p} is out of range [0, {rank})");
            }
            if (seen[p])
            {
                throw invocation.Error($"'perm' {Shape.Format(perm)} is not a permutation: {p} appears twice");
            }
            seen[p] = true;
        }
        var inDims = input.Shape.dims;
        var outDims = new long[rank];
        for (var i = 0; i < rank; i++)
        {
            outDims[i] = inDims[(int)perm[i]];
        }
        var output = new TensorSpec(new Shape(outDims), input.DType);
        return ArrayOpSupport.Move(output, (ins, outs) =>
        {
            var inStrides = StridedCopy.Contiguous(ins[0].shape.dims);
            var srcStrides = new long[rank];
            for (var i = 0; i < rank; i++)
            {
                srcStrides[i] = inStrides[perm[i]];
            }
            StridedCopy.Copy(ins[0].Buffer, 0, srcStrides, outs[0].Buffer, 0, StridedCopy.Contiguous(outDims), outDims, input.DType.Size());
        });
    }
}
