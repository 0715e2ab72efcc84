using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Graphs;
using OnSram.Speculation.Planning;

namespace OnSram.Speculation.Policies.Static;

/// <summary>
/// OnSRAM-Static: schedule the graph BFS-DFS (activation-bound children first), rank the activations by figure of
/// merit (<see cref="FigureOfMerit"/>; schedule steps measure liveness), then, best first, pin a tensor from its
/// producer to its last reader only if the SPM budget holds at every op of that lifetime (all-or-nothing; program
/// order, the order the device executes), letting a pinned input hand its space to an output of its last reader;
/// finally place the pinned tensors at addresses with the scratchpad's allocator and plan off chip those that
/// fit by bytes but not by addresses. Ties in the figure of merit go to the earlier tensor.
/// </summary>
public sealed class StaticPlanner : IGraphPlanner
{
    private readonly PlannerDevice _device;
    private readonly StaticPlannerOptions _options;
    private readonly long _budget;

    /// <summary>Creates the planner for <paramref name="config"/> (options default to the published ones).</summary>
    public StaticPlanner(AcceleratorConfig config, StaticPlannerOptions? options = null)
    {
        _device = new PlannerDevice(config);
        _options = (options ?? StaticPlannerOptions.Default).Validate();
        _budget = Budget.Of(_device, _options.ReserveBytes);
    }

    /// <inheritdoc />
    public string Name => StaticPolicy.PolicyName;

    /// <summary>The options in use.</summary>
    public StaticPlannerOptions Options => _options;

    /// <summary>SPM bytes the planner may fill at any op (usable capacity minus the staging reserve).</summary>
    public long BudgetBytes => _budget;

    /// <inheritdoc />
    public StoragePlan Plan(DataflowGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var schedule = BfsDfsSchedule.Order(graph, op => _device.IsActivationBound(graph, op));
        var steps = BfsDfsSchedule.Steps(schedule);
        var fom = new double[graph.Tensors.Count];
        foreach (var t in graph.Activations)
        {
            fom[t.Index] = FigureOfMerit.Terms(graph, t, steps).Weighted(_options);
        }
        var draft = new PlanDraft(Name, graph, "static: pinned for its lifetime") { Schedule = schedule, FigureOfMerit = fom };
        var profile = new CapacityProfile(graph, _budget, _options.HandOver, _options.HandOverElementwiseOnly);
        foreach (var t in graph.Activations.OrderByDescending(t => fom[t.Index]).ThenBy(t => t.Index))
        {
            var block = _device.Block(t.DeviceBytes);
            if (profile.CanAdd(t.Index, t.Producer, t.LastUse, block))
            {
                profile.Add(t.Index, t.Producer, t.LastUse, block);
                draft.Pin(t.Index, t.LastUse);
            }
            else
            {
                draft.CapacityRejections.Add(t.Index);
            }
        }
        SetHandOvers(draft, profile);
        AddressPlacement.Resolve(draft, _device, t =>
        {
            profile.Remove(t);
            draft.Unplace(t);
            SetHandOvers(draft, profile);
        });
        return draft.Freeze();
    }

    private static void SetHandOvers(PlanDraft draft, CapacityProfile profile)
    {
        Array.Fill(draft.HandOverFrom, -1);
        for (var p = 0; p < draft.Graph.OpCount; p++)
        {
            var (giver, taker) = profile.Pair(p);
            if (taker >= 0)
            {
                draft.HandOverFrom[taker] = giver;
            }
        }
    }
}
