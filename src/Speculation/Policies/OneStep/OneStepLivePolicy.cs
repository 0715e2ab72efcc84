using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Planning;
using Serilog;

namespace OnSram.Speculation.Policies.OneStep;

/// <summary>The 1-step scheme captured from iteration 1 of a live run. See <see cref="OneStepPlanner"/>.</summary>
[SpmPolicy(PolicyName, Description = "1-step captured from iteration 1 of a live run, applied to later iterations")]
public sealed class OneStepLivePolicy : PlannedPolicy
{
    /// <summary>The registered name.</summary>
    public const string PolicyName = "onestep-live";

    /// <summary>Creates the policy.</summary>
    public OneStepLivePolicy(AcceleratorConfig config)
        : this(config, null)
    {
    }

    /// <summary>Creates the policy with an optional Serilog logger for warnings.</summary>
    public OneStepLivePolicy(AcceleratorConfig config, ILogger? logger)
        : base(PolicyName, new OneStepPlanner(config), config, PlanMode.Live, logger)
    {
    }
}
