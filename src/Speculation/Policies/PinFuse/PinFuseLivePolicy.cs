using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Planning;
using Serilog;

namespace OnSram.Speculation.Policies.PinFuse;

/// <summary>Pin or Fuse captured from iteration 1 of a live run (baseline while capturing), applied to later iterations. See <see cref="PinFusePlanner"/>.</summary>
[SpmPolicy(PolicyName, Description = "Pin or Fuse captured from iteration 1 of a live run, applied to later iterations")]
public sealed class PinFuseLivePolicy : PlannedPolicy
{
    /// <summary>The registered name.</summary>
    public const string PolicyName = "pinfuse-live";

    /// <summary>Creates the policy with the default options.</summary>
    public PinFuseLivePolicy(AcceleratorConfig config)
        : this(config, null, null)
    {
    }

    /// <summary>Creates the policy with <paramref name="options"/> and an optional Serilog logger for warnings.</summary>
    public PinFuseLivePolicy(AcceleratorConfig config, PinFuseOptions? options, ILogger? logger)
        : base(PolicyName, new PinFusePlanner(config, PinFuseMode.PinOrFuse, options), config, PlanMode.Live, logger)
    {
    }
}
