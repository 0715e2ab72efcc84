using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Events;
using OnSram.Speculation.Planning;
using Serilog;

namespace OnSram.Speculation.Policies.OneStep;

/// <summary>The 1-step scheme planned from the whole stream. See <see cref="OneStepPlanner"/>.</summary>
[SpmPolicy(PolicyName, Description = "1-step: hold each output only until its first reader (graph known ahead)")]
public sealed class OneStepPolicy : PlannedPolicy, IStreamPreview
{
    /// <summary>The registered name.</summary>
    public const string PolicyName = "onestep";

    /// <summary>Creates the policy.</summary>
    public OneStepPolicy(AcceleratorConfig config)
        : this(config, null)
    {
    }

    /// <summary>Creates the policy with an optional Serilog logger for warnings.</summary>
    public OneStepPolicy(AcceleratorConfig config, ILogger? logger)
        : base(PolicyName, new OneStepPlanner(config), config, PlanMode.Preview, logger)
    {
    }

    /// <inheritdoc />
    public void Preview(IReadOnlyList<SimEvent> events) => PreviewStream(events);
}
