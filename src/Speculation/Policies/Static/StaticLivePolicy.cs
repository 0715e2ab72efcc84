using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Planning;
using Serilog;

namespace OnSram.Speculation.Policies.Static;

/// <summary>
/// OnSRAM-Static captured live: iteration 1 runs as the baseline while its graph is captured; later iterations
/// apply its plan, falling back to the baseline where the program diverges. See <see cref="StaticPlanner"/>.
/// </summary>
[SpmPolicy(PolicyName, Description = "OnSRAM-Static captured from iteration 1 of a live run, applied to later iterations")]
public sealed class StaticLivePolicy : PlannedPolicy
{
    /// <summary>The registered name.</summary>
    public const string PolicyName = "static-live";

    /// <summary>Creates the policy with the published options.</summary>
    public StaticLivePolicy(AcceleratorConfig config)
        : this(config, null, null)
    {
    }

    /// <summary>Creates the policy with <paramref name="options"/> and an optional Serilog logger for warnings.</summary>
    public StaticLivePolicy(AcceleratorConfig config, StaticPlannerOptions? options, ILogger? logger)
        : base(PolicyName, new StaticPlanner(config, options), config, PlanMode.Live, logger)
    {
    }
}
