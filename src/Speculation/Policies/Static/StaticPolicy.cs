using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Events;
using OnSram.Speculation.Planning;
using Serilog;

namespace OnSram.Speculation.Policies.Static;

/// <summary>
/// OnSRAM-Static planned from the whole stream (<see cref="IStreamPreview"/>): each iteration's graph is known
/// before it runs, as for a static graph compiled ahead. See <see cref="StaticPlanner"/>.
/// </summary>
[SpmPolicy(PolicyName, Description = "OnSRAM-Static: pin activations by figure of merit over their whole lifetime (graph known ahead)")]
public sealed class StaticPolicy : PlannedPolicy, IStreamPreview
{
    /// <summary>The registered name.</summary>
    public const string PolicyName = "static";

    /// <summary>Creates the policy with the published options.</summary>
    public StaticPolicy(AcceleratorConfig config)
        : this(config, null, null)
    {
    }

    /// <summary>Creates the policy with <paramref name="options"/> and an optional Serilog logger for warnings.</summary>
    public StaticPolicy(AcceleratorConfig config, StaticPlannerOptions? options, ILogger? logger)
        : base(PolicyName, new StaticPlanner(config, options), config, PlanMode.Preview, logger)
    {
    }

    /// <inheritdoc />
    public void Preview(IReadOnlyList<SimEvent> events) => PreviewStream(events);
}
