using System.Text;

namespace OnSram.Runtime.Ops.ArrayOps;

/// <summary>
/// <c>GatherV2(params, indices, axis)</c>: picks slices of <c>params</c> along <c>axis</c> (a scalar in
/// [-rank, rank)) at the positions in <c>indices</c> (int32/int64, any shape). Output shape:
/// <c>params.shape[:axis] + indices.shape[batch_dims:] + params.shape[axis+1:]</c>. Attribute
/// <c>batch_dims</c> (default 0; negative counts from the indices' rank) treats the leading dimensions,
/// shared by params and indices, as batch. Indices outside [0, params.shape[axis]) are an error naming
/// the index, as on TensorFlow's CPU. A copy. Every params dtype is accepted.
/// </summary>
public sealed class GatherV2 : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "GatherV2";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation)
    {
        invocation.ExpectInputs(3);
        var p = invocation.Inputs[0];
        var ix = invocation.Inputs[1];
        if (ix.DType is not (DType.Int32 or DType.Int64))
        {
            throw invocation.Error($"'indices' (input 1) must be int32 or int64, got {ix.DType.Name()}");
        }
        var rank = p.Shape.ndim;
        var indexRank = ix.Shape.ndim;
        var batchDims = invocation.Int("batch_dims", 0);
        if (batchDims < 0)
        {
            batchDims += indexRank;
        }
        if (batchDims < 0 || batchDims > indexRank)
        {
            throw invocation.Error($"is {invocation.Int("batch_dims", 0)}, out of range for indices of rank {indexRank} (expected a value in [{-indexRank}, {indexRank}])", "batch_dims");
        }
        var axisValue = ArrayOpSupport.IntArg(invocation, 2, "axis", rank: 0, scalarLike: true);
        if (axisValue is null)
        {
            var known = ArrayOpSupport.KnownOutput(invocation, 2, "axis", p.DType, rank: rank - 1 + indexRank - (int)batchDims);
            return ArrayOpSupport.Unknown(invocation, known, 2, "axis");
        }
        var axis = ArrayOpSupport.Axis(invocation, axisValue[0], rank, "axis");
        var bd = (int)batchDims;
        if (bd > axis)
        {
            throw invocation.Error($"is {bd}, greater than the gather axis {axis} (batch dimensions must precede the axis)", "batch_dims");
        }
        for (var i = 0; i < bd; i++)
        {
            if (p.Shape[i] != ix.Shape[i])
            {
                throw invocation.Error($"is {bd}, but params dimension {i} ({p.Shape[i]}) differs from indices dimension {i} ({ix.Shape[i]})", "batch_dims");
            }
        }

        var outDims = new List<long>();
        long batch = 1, outer = 1, perBatch = 1, inner = 1;
        for (var i = 0; i < bd; i++)
        {
            outDims.Add(p.Shape[i]);
            batch *= p.Shape[i];
        }
        for (var i = bd; i < axis; i++)
        {
            outDims.Add(p.Shape[i]);
            outer *= p.Shape[i];
        }
        for (var i = bd; i < indexRank; i++)
        {
            outDims.Add(ix.Shape[i]);
            perBatch *= ix.Shape[i];
        }
        for (var i = axis + 1; i < rank; i++)
        {
            outDims.Add(p.Shape[i]);
            inner *= p.Shape[i];
        }
        var limit = p.Shape[axis];
        var indexDims = ix.Shape.ToArray();
        var known0 = invocation.ConstantValues(1);
        if (known0 is not null)
        {
            Check(invocation, known0, indexDims, limit, axis);
        }
        var output = new TensorSpec(new Shape(outDims.ToArray()), p.DType);
        var es = p.DType.Size();
        return ArrayOpSupport.Move(output, (ins, outs) =>
        {
            var indices = known0 ?? TensorData.IntegerValues(ins[1])!;
            if (known0 is null)
            {
                Check(invocation, indices, indexDims, limit, axis);
            }
            var src = ins[0].Buffer.AsSpan();
            var dst = outs[0].Buffer.AsSpan();
            var block = (int)(inner * es);
            long o = 0;
            for (long b = 0; b < batch; b++)
            {
                for (long r = 0; r < outer; r++)
                {
                    var rowBase = (b * outer + r) * limit;
                    for (long k = 0; k < perBatch; k++)
                    {
                        var s = (rowBase + indices[b * perBatch + k]) * inner * es;
                        src.Slice((int)s, block).CopyTo(dst.Slice((int)o, block));
                        o += block;
                    }
                }
            }
        });
    }

    private static void Check(OpInvocation inv, long[] indices, long[] indexDims, long limit, int axis)
    {
        for (var i = 0; i < indices.Length; i++)
        {
            var v = indices[i];
            if (v < 0 || v >= limit)
            {
                throw inv.Error($"indices{FormatPosition(i, indexDims)} = {v} is not in [0, {limit}) (params dimension {axis})");
            }
        }
    }

    private static string FormatPosition(long flat, long[] dims)
    {
        var pos = new long[dims.Length];
        for (var d = dims.Length - 1; d >= 0; d--)
        {
            pos[d] = flat % dims[d];
            flat /= dims[d];
        }
        var sb = new StringBuilder("[");
        sb.AppendJoin(',', pos);
        return sb.Append(']').ToString();
    }
}
