using OnSram.Accelerator;
using OnSram.Accelerator.Configuration;
using OnSram.Accelerator.Cost;
using OnSram.Speculation.Graphs;

namespace OnSram.Speculation.Planning;

/// <summary>
/// The device as planners see it: the usable SPM capacity and its allocation unit (as the simulator's
/// scratchpad rounds them), and the simulator's cost model to price ops under a candidate placement.
/// </summary>
internal sealed class PlannerDevice
{
    public PlannerDevice(AcceleratorConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config.Validate();
        Cost = new CostModel(Config);
        Alignment = Config.AlignmentBytes;
        Capacity = Config.SpmBytes & ~(Alignment - 1);
    }

    public AcceleratorConfig Config { get; }

    public CostModel Cost { get; }

    public long Alignment { get; }

    /// <summary>Usable SPM bytes (the configured size rounded down to the alignment, as the scratchpad does).</summary>
    public long Capacity { get; }

    /// <summary>The block an allocation of <paramref name="bytes"/> takes.</summary>
    public long Block(long bytes) => bytes <= 0 ? Alignment : (bytes + Alignment - 1) & ~(Alignment - 1);

    /// <summary>The op as the baseline runs it: every input streamed, every output written, the whole SPM for staging.</summary>
    public OpCost BaselineCost(DataflowGraph graph, GraphOp op) =>
        Price(graph, op, _ => false, _ => false, 0, 0, Capacity);

    /// <summary>Activation-bound: a SIMD-array op whose baseline time is set by memory traffic.</summary>
    public bool IsActivationBound(DataflowGraph graph, GraphOp op) =>
        op.Unit == ComputeUnit.Vector && BaselineCost(graph, op).IsMemoryBound;

    /// <summary>
    /// Prices <paramref name="op"/> with the simulator's cost model: inputs for which <paramref name="resident"/>
    /// is true are read from the SPM (others streamed), outputs for which <paramref name="kept"/> is true are not
    /// written back, plus extra FLOPs and extra external reads, with <paramref name="staging"/> SPM bytes for tiles.
    /// </summary>
    public OpCost Price(DataflowGraph graph, GraphOp op, Func<int, bool> resident, Func<int, bool> kept, double extraFlops, long extraReads, long staging)
    {
        long inputBytes = 0, streamed = 0, largest = 0, first = 0;
        var distinct = op.DistinctInputs;
        for (var k = 0; k < distinct.Count; k++)
        {
            var t = graph.Tensors[distinct[k]];
            inputBytes += t.DeviceBytes;
            if (resident(t.Index))
            {
                continue;
            }
            streamed += t.DeviceBytes;
            largest = Math.Max(largest, t.DeviceBytes);
            if (op.Inputs.Count > 0 && op.Inputs[0] == t.Index)
            {
                first = t.DeviceBytes;
            }
        }
        long outputBytes = 0, written = 0;
        foreach (var o in op.Outputs)
        {
            var bytes = graph.Tensors[o].DeviceBytes;
            outputBytes += bytes;
            if (!kept(o))
            {
                written += bytes;
            }
        }
        return Cost.Cost(new OpCostInput(op.Unit, op.Flops + extraFlops, inputBytes + extraReads, streamed + extraReads, largest + extraReads, first,
            op.Traits.InputReuse, outputBytes, written, 0, Math.Max(0, staging)));
    }
}
