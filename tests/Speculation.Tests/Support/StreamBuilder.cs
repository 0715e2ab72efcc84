using OnSram.Accelerator;
using OnSram.Speculation.Events;
using OnSram.Speculation.Graphs;

namespace OnSram.Speculation.Tests.Support;

/// <summary>
/// Writes event streams by hand: float32 tensors (2 device bytes per element on an FP16 device) with fresh ids,
/// ops that produce one new output each, iteration marks and releases. <see cref="Feed"/> replays the stream into
/// a sink (a simulator).
/// </summary>
public sealed class StreamBuilder
{
    private readonly List<SimEvent> _events = new();
    private long _nextId;
    private int _ops;

    public StreamBuilder(long firstId = 1) => _nextId = firstId;

    public IReadOnlyList<SimEvent> Events => _events;

    public int OpCount => _ops;

    /// <summary>A new external (or future output) float32 tensor.</summary>
    public TensorInfo Tensor(params long[] shape) => new(_nextId++, shape, shape.Aggregate(1L, (a, b) => a * b), 4, true);

    /// <summary>Appends an op producing one new tensor of <paramref name="outShape"/>; returns it.</summary>
    public TensorInfo Op(string type, ComputeUnit unit, double flops, TensorInfo[] inputs, long[] outShape, OpTraits? traits = null, string attrs = "")
    {
        var output = Tensor(outShape);
        Add(new OpEvent(type, attrs, unit, flops, inputs, [output], traits ?? OpTraits.Elementwise));
        return output;
    }

    /// <summary>Appends an op event as given.</summary>
    public void Add(OpEvent op) => _events.Add(SimEvent.ForOp(_ops++, in op));

    /// <summary>An elementwise SIMD op (1 FLOP per output element).</summary>
    public TensorInfo Vector(string type, TensorInfo[] inputs, long[]? outShape = null)
    {
        var shape = outShape ?? inputs[0].Shape;
        return Op(type, ComputeUnit.Vector, shape.Aggregate(1L, (a, b) => a * b), inputs, shape);
    }

    public void Mark(string label = Marks.Iteration) => _events.Add(SimEvent.ForMark(_ops, label));

    public void Release(TensorInfo t) => _events.Add(SimEvent.ForRelease(_ops, t.Id));

    public DataflowGraph Graph(int deviceFloatBytes = 2) => GraphCapture.FirstIteration(_events, deviceFloatBytes);

    public void Feed(IEventSink sink)
    {
        foreach (var e in _events)
        {
            switch (e.Kind)
            {
                case SimEventKind.Op:
                    var op = e.Op;
                    sink.OnOp(in op);
                    break;
                case SimEventKind.Release:
                    sink.OnRelease(e.TensorId);
                    break;
                default:
                    sink.OnMark(e.Label!);
                    break;
            }
        }
    }
}
