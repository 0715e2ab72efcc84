using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Events;
using OnSram.Speculation.Planning;
using Serilog;

namespace OnSram.Speculation.Policies.PinFuse;

/// <summary>The fusion half of Pin or Fuse, planned from the whole stream: edges off chip or fused, no pinning. See <see cref="PinFusePlanner"/>.</summary>
[SpmPolicy(PolicyName, Description = "fusion only: consecutive layers fused tile by tile or off chip (graph known ahead)")]
public sealed class FusePolicy : PlannedPolicy, IStreamPreview
{
    /// <summary>The registered name.</summary>
    public const string PolicyName = "fuse";

    /// <summary>Creates the policy with the default options.</summary>
    public FusePolicy(AcceleratorConfig config)
        : this(config, null, null)
    {
    }

    /// <summary>Creates the policy with <paramref name="options"/> and an optional Serilog logger for warnings.</summary>
    public FusePolicy(AcceleratorConfig config, PinFuseOptions? options, ILogger? logger)
        : base(PolicyName, new PinFusePlanner(config, PinFuseMode.FuseOnly, options), config, PlanMode.Preview, logger)
    {
    }

    /// <inheritdoc />
    public void Preview(IReadOnlyList<SimEvent> events) => PreviewStream(events);
}
