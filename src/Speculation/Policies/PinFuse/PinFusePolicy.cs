using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Events;
using OnSram.Speculation.Planning;
using Serilog;

namespace OnSram.Speculation.Policies.PinFuse;

/// <summary>Pin or Fuse planned from the whole stream: every edge off chip, pinned or fused, chosen jointly. See <see cref="PinFusePlanner"/>.</summary>
[SpmPolicy(PolicyName, Description = "Pin or Fuse: per edge off chip, pinned or fused, chosen jointly (graph known ahead)")]
public sealed class PinFusePolicy : PlannedPolicy, IStreamPreview
{
    /// <summary>The registered name.</summary>
    public const string PolicyName = "pinfuse";

    /// <summary>Creates the policy with the default options.</summary>
    public PinFusePolicy(AcceleratorConfig config)
        : this(config, null, null)
    {
    }

    /// <summary>Creates the policy with <paramref name="options"/> and an optional Serilog logger for warnings.</summary>
    public PinFusePolicy(AcceleratorConfig config, PinFuseOptions? options, ILogger? logger)
        : base(PolicyName, new PinFusePlanner(config, PinFuseMode.PinOrFuse, options), config, PlanMode.Preview, logger)
    {
    }

    /// <inheritdoc />
    public void Preview(IReadOnlyList<SimEvent> events) => PreviewStream(events);
}
