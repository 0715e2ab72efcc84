using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Planning;
using Serilog;

namespace OnSram.Speculation.Policies.PinFuse;

/// <summary>The fusion half of Pin or Fuse captured from iteration 1 of a live run. See <see cref="PinFusePlanner"/>.</summary>
[SpmPolicy(PolicyName, Description = "fusion only, captured from iteration 1 of a live run")]
public sealed class FuseLivePolicy : PlannedPolicy
{
    /// <summary>The registered name.</summary>
    public const string PolicyName = "fuse-live";

    /// <summary>Creates the policy with the default options.</summary>
    public FuseLivePolicy(AcceleratorConfig config)
        : this(config, null, null)
    {
    }

    /// <summary>Creates the policy with <paramref name="options"/> and an optional Serilog logger for warnings.</summary>
    public FuseLivePolicy(AcceleratorConfig config, PinFuseOptions? options, ILogger? logger)
        : base(PolicyName, new PinFusePlanner(config, PinFuseMode.FuseOnly, options), config, PlanMode.Live, logger)
    {
    }
}
