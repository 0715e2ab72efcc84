using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Events;
using OnSram.Speculation.Policies;
using Serilog;

namespace OnSram.Speculation.Planning;

/// <summary>
/// A scratchpad policy driven by a graph planner (<c>static</c>, <c>onestep</c>, <c>pin</c>, <c>fuse</c>,
/// <c>pinfuse</c> and their <c>-live</c> forms). The registered policies derive from it: a previewing one also
/// implements <see cref="IStreamPreview"/> (the whole stream is known before it is simulated: trace replay,
/// benchmarks, or a live run the simulator buffers); a live one captures its first iteration while running it as
/// the baseline, then applies the plan to later iterations. Both apply plans with the same executor, by op
/// position within the iteration, checking each op against the planned graph and falling back to the baseline
/// where the program diverges (see <see cref="Warnings"/>). See <c>docs/planners.md</c>.
/// </summary>
public abstract class PlannedPolicy : ISpmPolicy, IPostOpPolicy, ISpmFeedback, IOpAdjustment, ILivenessHint
{
    private readonly PlanExecutor _executor;

    private protected PlannedPolicy(string name, IGraphPlanner planner, AcceleratorConfig config, PlanMode mode, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(planner);
        ArgumentNullException.ThrowIfNull(config);
        Name = name;
        Planner = planner;
        _executor = new PlanExecutor(planner, name, config.Validate().DeviceFloatBytes, mode, logger);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The planner behind the policy.</summary>
    public IGraphPlanner Planner { get; }

    /// <summary>How the policy learns the graph.</summary>
    public PlanMode Mode => _executor.Mode;

    /// <summary>Where the run left its plan (also logged when a Serilog logger was given).</summary>
    public IReadOnlyList<PlanWarning> Warnings => _executor.Warnings;

    /// <summary>The distinct plans made so far (one per distinct iteration graph).</summary>
    public IReadOnlyList<StoragePlan> Plans => _executor.Plans;

    /// <inheritdoc />
    public HoldDecision Decide(in HoldRequest request) => _executor.Decide(in request);

    /// <inheritdoc />
    public void AfterOp(in OpChargedFeedback op, ISpmControl control) => _executor.AfterOp(in op, control);

    /// <inheritdoc />
    public void OnMark(in MarkFeedback mark) => _executor.OnMark(in mark);

    /// <inheritdoc />
    public OpAdjustment Adjust(int opIndex, in OpEvent op) => _executor.Adjust(opIndex, in op);

    /// <inheritdoc />
    public bool IsDead(long tensorId, int opIndex) => _executor.IsDead(tensorId, opIndex);

    /// <summary>Plans every iteration of the previewed stream (for the previewing policies).</summary>
    private protected void PreviewStream(IReadOnlyList<SimEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        _executor.Preview(events);
    }
}
