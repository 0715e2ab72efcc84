using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Events;
using OnSram.Speculation.Planning;
using Serilog;

namespace OnSram.Speculation.Policies.PinFuse;

/// <summary>The pinning half of Pin or Fuse, planned from the whole stream: edges off chip or pinned, no fusion. See <see cref="PinFusePlanner"/>.</summary>
[SpmPolicy(PolicyName, Description = "pinning only: feature maps pinned in the SPM or off chip (graph known ahead)")]
public sealed class PinPolicy : PlannedPolicy, IStreamPreview
{
    /// <summary>The registered name.</summary>
    public const string PolicyName = "pin";

    /// <summary>Creates the policy with the default options.</summary>
    public PinPolicy(AcceleratorConfig config)
        : this(config, null, null)
    {
    }

    /// <summary>Creates the policy with <paramref name="options"/> and an optional Serilog logger for warnings.</summary>
    public PinPolicy(AcceleratorConfig config, PinFuseOptions? options, ILogger? logger)
        : base(PolicyName, new PinFusePlanner(config, PinFuseMode.PinOnly, options), config, PlanMode.Preview, logger)
    {
    }

    /// <inheritdoc />
    public void Preview(IReadOnlyList<SimEvent> events) => PreviewStream(events);
}
