using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Planning;
using Serilog;

namespace OnSram.Speculation.Policies.PinFuse;

/// <summary>The pinning half of Pin or Fuse captured from iteration 1 of a live run. See <see cref="PinFusePlanner"/>.</summary>
[SpmPolicy(PolicyName, Description = "pinning only, captured from iteration 1 of a live run")]
public sealed class PinLivePolicy : PlannedPolicy
{
    /// <summary>The registered name.</summary>
    public const string PolicyName = "pin-live";

    /// <summary>Creates the policy with the default options.</summary>
    public PinLivePolicy(AcceleratorConfig config)
        : this(config, null, null)
    {
    }

    /// <summary>Creates the policy with <paramref name="options"/> and an optional Serilog logger for warnings.</summary>
    public PinLivePolicy(AcceleratorConfig config, PinFuseOptions? options, ILogger? logger)
        : base(PolicyName, new PinFusePlanner(config, PinFuseMode.PinOnly, options), config, PlanMode.Live, logger)
    {
    }
}
