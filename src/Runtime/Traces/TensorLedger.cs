namespace OnSram.Runtime.Traces;

/// <summary>
/// Which tensor ids a trace has used: every id ever seen (a bit each) and the byte size of the live ones
/// (a hash entry each, so memory follows the live set, not the trace's length). Checks one line
/// completely before changing anything, so a skipped bad line leaves no trace.
/// </summary>
internal sealed class TensorLedger
{
    private readonly IdSet _seen = new();
    private readonly Dictionary<long, long> _liveBytes = new();

    /// <summary>Live tensors (produced or external, not yet freed).</summary>
    public int LiveCount => _liveBytes.Count;

    /// <summary>Checks an op line against the ids seen so far, changing nothing.</summary>
    public void CheckOp(ParsedLine p, PlannedOp planned)
    {
        for (var i = 0; i < p.InputCount; i++)
        {
            var id = p.Inputs[i].Id;
            var bytes = planned.Inputs[i].Bytes;
            if (_liveBytes.TryGetValue(id, out var known))
            {
                if (known != bytes)
                {
                    throw ByteSizeChanged(i, id, bytes, known);
                }
                continue;
            }
            if (_seen.Contains(id))
            {
                throw new TraceLineException($"input {i}: tensor {id} is used after it was freed");
            }
            // A new external tensor: the same id earlier on this line must have the same byte size.
            for (var j = 0; j < i; j++)
            {
                if (p.Inputs[j].Id == id && planned.Inputs[j].Bytes != bytes)
                {
                    throw ByteSizeChanged(i, id, bytes, planned.Inputs[j].Bytes);
                }
            }
        }
        for (var i = 0; i < p.OutputCount; i++)
        {
            var id = p.Outputs[i].Id;
            if (_liveBytes.ContainsKey(id) || _seen.Contains(id))
            {
                throw new TraceLineException($"output {i}: tensor id {id} already exists (ids are unique in a trace; an id first used as an input is external and cannot be produced later)");
            }
            for (var j = 0; j < p.InputCount; j++)
            {
                if (p.Inputs[j].Id == id)
                {
                    throw new TraceLineException($"output {i}: tensor id {id} is also input {j} of this op (ids are unique in a trace)");
                }
            }
            for (var j = 0; j < i; j++)
            {
                if (p.Outputs[j].Id == id)
                {
                    throw new TraceLineException($"output {i}: duplicate tensor id {id} (also output {j})");
                }
            }
        }
    }

    /// <summary>Records a checked op line; returns how many of its inputs are new external tensors.</summary>
    public int CommitOp(ParsedLine p, PlannedOp planned)
    {
        var externals = 0;
        for (var i = 0; i < p.InputCount; i++)
        {
            var id = p.Inputs[i].Id;
            if (_liveBytes.TryAdd(id, planned.Inputs[i].Bytes))
            {
                _seen.Add(id);
                externals++;
            }
        }
        for (var i = 0; i < p.OutputCount; i++)
        {
            _liveBytes.Add(p.Outputs[i].Id, planned.Outputs[i].Bytes);
            _seen.Add(p.Outputs[i].Id);
        }
        return externals;
    }

    /// <summary>Releases a live tensor or throws naming why it cannot be released.</summary>
    public void Free(long id)
    {
        if (_liveBytes.Remove(id))
        {
            return;
        }
        throw new TraceLineException(_seen.Contains(id)
            ? $"free of tensor {id}, which was already freed"
            : $"free of unknown tensor {id} (no op has used or produced it)");
    }

    private static TraceLineException ByteSizeChanged(int input, long id, long bytes, long known) =>
        new($"input {input}: tensor {id} has {bytes} bytes here but {known} bytes where it first appeared (a view keeps its base tensor's byte size)");
}
