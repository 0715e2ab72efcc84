namespace OnSram.Runtime.Ops.ArrayOps;

/// <summary>
/// <c>StridedSlice(input, begin, end, strides)</c>: numpy-style slicing, with TensorFlow's exact
/// semantics. <c>begin</c>, <c>end</c> and <c>strides</c> are int32/int64 vectors of one length n (the
/// sparse spec, n &lt; 32); bit i of the attributes <c>begin_mask</c>/<c>end_mask</c> ignores begin[i]/end[i]
/// (fullest range), <c>ellipsis_mask</c> (at most one bit) expands to the unspecified dimensions,
/// <c>new_axis_mask</c> inserts a size-1 dimension and <c>shrink_axis_mask</c> indexes one element and
/// drops the dimension. Out-of-range begin/end are clamped; negative values count from the end;
/// negative strides walk backwards. A copy. Every dtype is accepted.
/// </summary>
public sealed class StridedSlice : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "StridedSlice";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation)
    {
        invocation.ExpectInputs(4);
        var input = invocation.Inputs[0];
        var begin = ArrayOpSupport.IntArg(invocation, 1, "begin", rank: 1);
        var end = ArrayOpSupport.IntArg(invocation, 2, "end", rank: 1);
        var strides = ArrayOpSupport.IntArg(invocation, 3, "strides", rank: 1);
        var n = invocation.Inputs[3].Shape.size;
        if (invocation.Inputs[1].Shape.size != n || invocation.Inputs[2].Shape.size != n || n >= 32)
        {
            throw invocation.Error($"'begin', 'end' and 'strides' must be vectors of one length below 32, got lengths {invocation.Inputs[1].Shape.size}, {invocation.Inputs[2].Shape.size} and {n}");
        }
        var masks = new Masks(
            (int)invocation.Int("begin_mask", 0),
            (int)invocation.Int("end_mask", 0),
            (int)invocation.Int("ellipsis_mask", 0),
            (int)invocation.Int("new_axis_mask", 0),
            (int)invocation.Int("shrink_axis_mask", 0));
        if (masks.Ellipsis != 0 && (masks.Ellipsis & (masks.Ellipsis - 1)) != 0)
        {
            throw invocation.Error($"is {masks.Ellipsis}: at most one ellipsis is allowed", "ellipsis_mask");
        }
        if (begin is null || end is null || strides is null)
        {
            var (which, name) = begin is null ? (1, "begin") : end is null ? (2, "end") : (3, "strides");
            var known = ArrayOpSupport.KnownOutput(invocation, which, name, input.DType);
            if (known.Shape.size > input.Shape.size)
            {
                throw invocation.Error($"known output {known} has more elements than the input");
            }
            return ArrayOpSupport.Unknown(invocation, known, which, name);
        }

        var slice = Resolve(invocation, input.Shape, begin, end, strides, masks);
        var output = new TensorSpec(new Shape(slice.FinalDims), input.DType);
        var es = input.DType.Size();
        return ArrayOpSupport.Move(output, (ins, outs) =>
        {
            var dims = slice.ProcessingDims;
            var inStrides = StridedCopy.Contiguous(ins[0].shape.dims);
            var srcStrides = new long[dims.Length];
            long offset = 0;
            for (var i = 0; i < dims.Length; i++)
            {
                srcStrides[i] = slice.Strides[i] * inStrides[i];
                offset += slice.Begins[i] * inStrides[i];
            }
            // The final shape only adds or drops size-1 dimensions, so the processing order is the output order.
            StridedCopy.Copy(ins[0].Buffer, offset, srcStrides, outs[0].Buffer, 0, StridedCopy.Contiguous(dims), dims, es);
        });
    }

    private readonly record struct Masks(int Begin, int End, int Ellipsis, int NewAxis, int Shrink);

    /// <summary>The dense slice: per input dimension its first index, step and length, and the output shape.</summary>
    private sealed record Resolved(long[] Begins, long[] Strides, long[] ProcessingDims, long[] FinalDims);

    private const int NewAxisMarker = -2;
    private const int ShrinkMarker = -1;

    /// <summary>Expands the sparse spec (ellipsis, new axes) to one entry per input dimension, then
    /// canonicalizes each entry (masks, negative indices, clamping) and sizes it.</summary>
    private static Resolved Resolve(OpInvocation inv, Shape shape, long[] begin, long[] end, long[] strides, Masks m)
    {
        var rank = shape.ndim;
        var sparseDims = begin.Length;
        var ellipsis = m.Ellipsis;
        var newAxesAfterEllipsis = 0;
        var seen = false;
        for (var i = 0; i < sparseDims; i++)
        {
            if (seen && (m.NewAxis & (1 << i)) != 0)
            {
                newAxesAfterEllipsis++;
            }
            if ((ellipsis & (1 << i)) != 0)
            {
                seen = true;
            }
        }
        if (!seen)
        {
            // An implicit ellipsis at the end takes every dimension the spec does not name.
            ellipsis |= 1 << sparseDims;
            sparseDims++;
        }

        var db = new long[rank];
        var de = new long[rank];
        var ds = new long[rank];
        int beginMask = 0, endMask = 0, shrinkMask = 0;
        var gather = new List<int>();
        var full = 0;
        for (var i = 0; i < sparseDims; i++)
        {
            if ((ellipsis & (1 << i)) != 0)
            {
                var next = Math.Min(rank - (sparseDims - i) + 1 + newAxesAfterEllipsis, rank);
                for (; full < next; full++)
                {
                    ds[full] = 1;
                    beginMask |= 1 << full;
                    endMask |= 1 << full;
                    gather.Add(full);
                }
            }
            else if ((m.NewAxis & (1 << i)) != 0)
            {
                gather.Add(NewAxisMarker);
            }
            else
            {
                if (full == rank)
                {
                    throw inv.Error($"the slice spec indexes dimension {full}, but the input has only {rank} dimensions");
                }
                db[full] = begin[i];
                de[full] = end[i];
                ds[full] = strides[i];
                if ((m.Begin & (1 << i)) != 0)
                {
                    beginMask |= 1 << full;
                }
                if ((m.End & (1 << i)) != 0)
                {
                    endMask |= 1 << full;
                }
                if ((m.Shrink & (1 << i)) != 0)
                {
                    gather.Add(ShrinkMarker);
                    shrinkMask |= 1 << full;
                }
                else
                {
                    gather.Add(full);
                }
                full++;
            }
        }

        var processing = new long[rank];
        for (var i = 0; i < rank; i++)
        {
            var dim = shape[i];
            var stride = ds[i];
            if (stride == 0)
            {
                throw inv.Error($"strides[{i}] (dense dimension {i}) must be non-zero");
            }
            var shrink = (shrinkMask & (1 << i)) != 0;
            if (shrink && stride <= 0)
            {
                throw inv.Error($"dimension {i} is indexed (shrink_axis_mask) with stride {stride}; only positive strides are allowed on an index", "shrink_axis_mask");
            }
            if (shrink)
            {
                var b = db[i] < 0 ? dim + db[i] : db[i];
                if (b < 0 || b >= dim)
                {
                    throw inv.Error($"index {db[i]} of dimension {i} is out of bounds for size {dim}", "shrink_axis_mask");
                }
                db[i] = b;
                de[i] = b + 1;
            }
            else
            {
                // Valid range of a canonical index: [0, dim] going forwards, [-1, dim-1] going backwards.
                var lo = stride > 0 ? 0 : -1;
                var hi = stride > 0 ? dim : dim - 1;
                db[i] = (beginMask & (1 << i)) != 0 ? (stride > 0 ? lo : hi) : Clamp(db[i], dim, lo, hi);
                de[i] = (endMask & (1 << i)) != 0 ? (stride > 0 ? hi : lo) : Clamp(de[i], dim, lo, hi);
            }
            var interval = de[i] - db[i];
            processing[i] = interval == 0 || (interval < 0) != (stride < 0)
                ? 0
                : interval / stride + (interval % stride != 0 ? 1 : 0);
        }

        var final = new List<long>(gather.Count);
        foreach (var g in gather)
        {
            if (g >= 0)
            {
                final.Add(processing[g]);
            }
            else if (g == NewAxisMarker)
            {
                final.Add(1);
            }
        }
        return new Resolved(db, ds, processing, final.ToArray());
    }

    private static long Clamp(long x, long dim, long lo, long hi)
    {
        var f = x < 0 ? dim + x : x;
        return f < lo ? lo : f > hi ? hi : f;
    }
}
