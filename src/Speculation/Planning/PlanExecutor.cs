using OnSram.Speculation.Events;
using OnSram.Speculation.Graphs;
using OnSram.Speculation.Policies;
using Serilog;

namespace OnSram.Speculation.Planning;

/// <summary>
/// Applies storage plans op by op, by the op's position in its iteration (op index minus the iteration's first op
/// index). Each op is checked against the planned graph (type, attributes, unit, FLOPs, shapes, and wiring: each
/// input must be the same planned tensor, identified through the ids the iteration's ops produced). On the first
/// op that does not match, the rest of the iteration runs as the baseline: outputs are written back, held plan
/// tensors are dropped after that op (written back when live) and a warning is recorded and logged. An iteration
/// that ends before its plan does is a divergence too; what it left held is dropped after the next op.
/// In <see cref="PlanMode.Live"/> the first iteration (up to the first non-empty <c>iteration</c> mark) is captured
/// and runs as the baseline. Not thread-safe (one simulation).
/// </summary>
internal sealed class PlanExecutor
{
    private const string CapturingReason = "capturing the graph: baseline";
    private const string NoPlanReason = "no plan for this iteration: baseline";
    private const string DivergedReason = "diverged from the captured graph: baseline";
    private const string OffChipReason = "plan: off chip";
    private const string NoAddressReason = "plan: off chip (fits by bytes, not by addresses)";
    private const string FusedReason = "plan: fused, kept as tiles";
    private const string HandOverReason = "plan: pinned in the space of a dying input";
    private const string ReleaseReason = "plan: last use";
    private const string StaleDropReason = "left held by an iteration that ended early";

    private readonly IGraphPlanner _planner;
    private readonly string _policyName;
    private readonly int _floatBytes;
    private readonly ILogger? _logger;
    private readonly PlanMode _mode;
    private readonly List<PlanWarning> _warnings = new();
    private readonly List<StoragePlan> _distinct = new();
    private readonly Dictionary<long, int> _graphOf = new();
    private readonly List<long> _stale = new();
    private List<StoragePlan?> _previewPlans = new();
    private GraphBuilder? _capture;
    private StoragePlan? _livePlan;
    private StoragePlan? _plan;
    private long[] _ids = [];
    private bool[] _known = [];
    private int _iteration;
    private int _iterationStart;
    private int _observed = -1;
    private int _matched;
    private bool _diverged;
    private bool _dropAll;
    private int _divergedAt = -1;
    private string _divergence = "";

    public PlanExecutor(IGraphPlanner planner, string policyName, int deviceFloatBytes, PlanMode mode, ILogger? logger)
    {
        _planner = planner;
        _policyName = policyName;
        _floatBytes = deviceFloatBytes;
        _mode = mode;
        _logger = logger;
        if (mode == PlanMode.Live)
        {
            _capture = new GraphBuilder(deviceFloatBytes);
        }
    }

    public PlanMode Mode => _mode;

    public IReadOnlyList<PlanWarning> Warnings => _warnings;

    public IReadOnlyList<StoragePlan> Plans => _distinct;

    public void Preview(IReadOnlyList<SimEvent> events)
    {
        var plans = new List<StoragePlan?>();
        foreach (var iteration in GraphCapture.Iterations(events, _floatBytes))
        {
            plans.Add(iteration.Graph.OpCount == 0 ? null : PlanFor(iteration.Graph));
        }
        _previewPlans = plans;
        Begin(0, 0);
    }

    public HoldDecision Decide(in HoldRequest request)
    {
        Observe(request.OpIndex, request.Op);
        if (_capture is not null)
        {
            return HoldDecision.Discard(CapturingReason);
        }
        if (_plan is null)
        {
            return HoldDecision.Discard(NoPlanReason);
        }
        if (_diverged)
        {
            // The op that left the plan carries what differs into the speculation log; later ops a constant.
            return HoldDecision.Discard(request.OpIndex == _divergedAt ? _divergence : DivergedReason);
        }
        var op = _plan.Graph.Ops[request.OpIndex - _iterationStart];
        var t = op.Outputs[request.OutputIndex];
        switch (_plan.Placements[t])
        {
            case TensorPlacement.Pinned:
                var giver = _plan.HandOverFrom[t];
                return giver >= 0 && _known[giver]
                    ? HoldDecision.HoldInPlaceOf(_ids[giver], HandOverReason)
                    : HoldDecision.Hold(_plan.PinnedReason);
            case TensorPlacement.Fused:
                return HoldDecision.HoldReserved(_plan.ReservedBytes[t], FusedReason);
            default:
                return HoldDecision.Discard(_plan.IsAddressRejected(t) ? NoAddressReason : OffChipReason);
        }
    }

    public OpAdjustment Adjust(int opIndex, in OpEvent op)
    {
        Observe(opIndex, op);
        if (!Applying)
        {
            return OpAdjustment.None;
        }
        var position = opIndex - _iterationStart;
        return new OpAdjustment(_plan!.ExtraFlops[position], _plan.ExtraReadBytes[position]);
    }

    public void AfterOp(in OpChargedFeedback op, ISpmControl control)
    {
        Observe(op.OpIndex, op.Op);
        if (_stale.Count > 0)
        {
            foreach (var id in _stale)
            {
                if (control.IsHeld(id))
                {
                    control.Drop(id, StaleDropReason);
                }
            }
            _stale.Clear();
        }
        if (_dropAll)
        {
            _dropAll = false;
            DropHeld(control, _divergence);
            return;
        }
        if (!Applying)
        {
            return;
        }
        foreach (var t in _plan!.DropsAfter(op.OpIndex - _iterationStart))
        {
            if (_known[t] && control.IsHeld(_ids[t]))
            {
                control.Drop(_ids[t], ReleaseReason);
            }
        }
    }

    public void OnMark(in MarkFeedback mark)
    {
        if (mark.Label != Marks.Iteration)
        {
            return;
        }
        if (_capture is not null)
        {
            if (_capture.OpCount == 0)
            {
                Begin(mark.Iteration + 1, mark.OpsBefore);
                return;
            }
            _livePlan = PlanFor(_capture.Build());
            _capture = null;
        }
        else if (_plan is not null && !_diverged && _matched < _plan.Graph.OpCount)
        {
            Warn(mark.OpsBefore, _matched, $"the iteration ended after {_matched} ops; the captured graph has {_plan.Graph.OpCount}");
            for (var t = 0; t < _ids.Length; t++)
            {
                if (_known[t])
                {
                    _stale.Add(_ids[t]);
                }
            }
        }
        Begin(mark.Iteration + 1, mark.OpsBefore);
    }

    public bool IsDead(long tensorId, int opIndex)
    {
        if (_capture is not null || _plan is null || _diverged || !_graphOf.TryGetValue(tensorId, out var t))
        {
            return false;
        }
        var tensor = _plan.Graph.Tensors[t];
        return tensor.Consumers.Count > 0 && tensor.LastUse <= opIndex - _iterationStart;
    }

    private bool Applying => _capture is null && _plan is not null && !_diverged;

    private void Begin(int iteration, int firstOp)
    {
        _iteration = iteration;
        _iterationStart = firstOp;
        _plan = _mode == PlanMode.Live ? _livePlan : iteration < _previewPlans.Count ? _previewPlans[iteration] : null;
        _graphOf.Clear();
        var n = _plan?.Graph.Tensors.Count ?? 0;
        if (_ids.Length != n)
        {
            _ids = new long[n];
            _known = new bool[n];
        }
        else
        {
            Array.Clear(_known);
        }
        _matched = 0;
        _diverged = false;
    }

    private void Observe(int opIndex, in OpEvent op)
    {
        if (opIndex == _observed)
        {
            return;
        }
        _observed = opIndex;
        if (_capture is not null)
        {
            _capture.Add(in op);
            return;
        }
        if (_plan is null || _diverged)
        {
            return;
        }
        var position = opIndex - _iterationStart;
        var graph = _plan.Graph;
        var reason = position >= graph.OpCount
            ? $"{op.OpType} is op {position + 1} of the iteration; the captured graph has {graph.OpCount}"
            : OpSignature.Mismatch(graph.Ops[position], in op) ?? Wiring(graph.Ops[position], in op);
        if (reason is not null)
        {
            _diverged = true;
            _dropAll = true;
            _divergedAt = opIndex;
            _divergence = DivergedReason + ": " + reason;
            Warn(opIndex, position, reason);
            return;
        }
        var outputs = op.Outputs ?? [];
        var planned = graph.Ops[position].Outputs;
        for (var j = 0; j < planned.Count; j++)
        {
            _ids[planned[j]] = outputs[j].Id;
            _known[planned[j]] = true;
            _graphOf[outputs[j].Id] = planned[j];
        }
        _matched++;
    }

    private string? Wiring(GraphOp planned, in OpEvent op)
    {
        var inputs = op.Inputs ?? [];
        for (var k = 0; k < planned.Inputs.Count; k++)
        {
            var t = _plan!.Graph.Tensors[planned.Inputs[k]];
            var id = inputs[k].Id;
            if (t.IsExternal)
            {
                if (_graphOf.ContainsKey(id))
                {
                    return $"{op.OpType} input {k} is produced in this iteration; in the captured graph it is external";
                }
            }
            else if (!_known[t.Index] || _ids[t.Index] != id)
            {
                return $"{op.OpType} input {k} is tensor {id}; the captured graph reads output {t.OutputIndex} of op {t.Producer} ({_plan.Graph.Ops[t.Producer].OpType}) there";
            }
        }
        return null;
    }

    private void DropHeld(ISpmControl control, string reason)
    {
        for (var t = 0; t < _ids.Length; t++)
        {
            if (_known[t] && control.IsHeld(_ids[t]))
            {
                control.Drop(_ids[t], reason);
            }
        }
    }

    private StoragePlan PlanFor(DataflowGraph graph)
    {
        foreach (var plan in _distinct)
        {
            if (plan.Graph.SameStructure(graph))
            {
                return plan;
            }
        }
        var made = _planner.Plan(graph);
        _distinct.Add(made);
        return made;
    }

    private void Warn(int opIndex, int position, string message)
    {
        var warning = new PlanWarning(_iteration, opIndex, position, message);
        _warnings.Add(warning);
        _logger?.Warning("{Policy}: iteration {Iteration}, op {OpIndex} (position {Position}) left the plan, baseline for the rest of the iteration: {Reason}",
            _policyName, warning.Iteration, warning.OpIndex, warning.Position, warning.Message);
    }
}
