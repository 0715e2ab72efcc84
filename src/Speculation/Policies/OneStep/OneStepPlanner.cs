using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Graphs;
using OnSram.Speculation.Planning;

namespace OnSram.Speculation.Policies.OneStep;

/// <summary>
/// The 1-step scheme OnSRAM compares against: every activation is held from its producer only until its first
/// reader, then leaves the SPM (written back then if a later op still reads it). Outputs are taken in program
/// order, each held only if the SPM budget holds over that short interval (all-or-nothing), then placed at
/// addresses like <c>static</c>. No schedule, no figure of merit, no hand-over.
/// </summary>
public sealed class OneStepPlanner : IGraphPlanner
{
    private readonly PlannerDevice _device;
    private readonly long _budget;

    /// <summary>Creates the planner; <paramref name="reserveBytes"/> is kept free for staging (null: the stream buffer).</summary>
    public OneStepPlanner(AcceleratorConfig config, long? reserveBytes = null)
    {
        _device = new PlannerDevice(config);
        _budget = Budget.Of(_device, reserveBytes);
    }

    /// <inheritdoc />
    public string Name => OneStepPolicy.PolicyName;

    /// <inheritdoc />
    public StoragePlan Plan(DataflowGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var draft = new PlanDraft(Name, graph, "onestep: held until its first reader");
        var profile = new CapacityProfile(graph, _budget, handOver: false);
        foreach (var t in graph.Activations)
        {
            var block = _device.Block(t.DeviceBytes);
            if (profile.CanAdd(t.Index, t.Producer, t.FirstConsumer, block))
            {
                profile.Add(t.Index, t.Producer, t.FirstConsumer, block);
                draft.Pin(t.Index, t.FirstConsumer);
            }
            else
            {
                draft.CapacityRejections.Add(t.Index);
            }
        }
        AddressPlacement.Resolve(draft, _device, t =>
        {
            profile.Remove(t);
            draft.Unplace(t);
        });
        return draft.Freeze();
    }
}
