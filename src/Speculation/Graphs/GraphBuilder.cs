using OnSram.Speculation.Events;

namespace OnSram.Speculation.Graphs;

/// <summary>
/// Builds a <see cref="DataflowGraph"/> op by op (program order). A tensor id read before any op of the graph
/// produced it is external; an id produced again starts a new tensor (the old value is gone). Not thread-safe.
/// </summary>
public sealed class GraphBuilder
{
    private readonly int _deviceFloatBytes;
    private readonly List<GraphOp> _ops = new();
    private readonly List<GraphTensor> _tensors = new();
    private readonly Dictionary<long, int> _byId = new();

    /// <summary>Creates a builder counting device bytes with <paramref name="deviceFloatBytes"/>-byte floats.</summary>
    public GraphBuilder(int deviceFloatBytes)
    {
        if (deviceFloatBytes is not (1 or 2 or 4 or 8))
        {
            throw new ArgumentOutOfRangeException(nameof(deviceFloatBytes), deviceFloatBytes, "must be 1, 2, 4 or 8");
        }
        _deviceFloatBytes = deviceFloatBytes;
    }

    /// <summary>Ops added so far.</summary>
    public int OpCount => _ops.Count;

    /// <summary>Adds the next op of the iteration.</summary>
    public void Add(in OpEvent op)
    {
        var position = _ops.Count;
        var inputs = op.Inputs ?? [];
        var outputs = op.Outputs ?? [];
        var ins = new int[inputs.Length];
        for (var i = 0; i < inputs.Length; i++)
        {
            if (!_byId.TryGetValue(inputs[i].Id, out var t))
            {
                t = NewTensor(inputs[i], -1, -1);
            }
            ins[i] = t;
            var consumers = _tensors[t].ConsumerList;
            if (consumers.Count == 0 || consumers[^1] != position)
            {
                consumers.Add(position);
            }
        }
        var outs = new int[outputs.Length];
        for (var j = 0; j < outputs.Length; j++)
        {
            outs[j] = NewTensor(outputs[j], position, j);
        }
        _ops.Add(new GraphOp(position, op, ins, outs));
    }

    /// <summary>The graph of the ops added so far.</summary>
    public DataflowGraph Build() => new(_ops.ToArray(), _tensors.ToArray(), _deviceFloatBytes);

    private int NewTensor(in TensorInfo info, int producer, int outputIndex)
    {
        var index = _tensors.Count;
        _tensors.Add(new GraphTensor(index, info, info.DeviceBytes(_deviceFloatBytes), producer, outputIndex));
        _byId[info.Id] = index;
        return index;
    }
}
