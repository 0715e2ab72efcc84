using OnSram.Accelerator.Configuration;

namespace OnSram.Speculation.Policies.Infinite;

/// <summary>
/// The upper bound: an unbounded SPM (<see cref="AcceleratorConfig.UnboundedSpmBytes"/>) in which every
/// output is held until released. Only external tensors (weights, model input) are read from external
/// memory, and only results (held tensors no op ever read, written back when released or at the end of
/// the run) are written to it; every op tiles ideally.
/// </summary>
[SpmPolicy(PolicyName, Description = "unbounded SPM holding every output: the upper bound")]
public sealed class InfinitePolicy : ISpmPolicy, IConfigOverride
{
    /// <summary>The registered name.</summary>
    public const string PolicyName = "infinite";

    /// <inheritdoc />
    public string Name => PolicyName;

    /// <inheritdoc />
    public AcceleratorConfig Apply(AcceleratorConfig config) => config with { SpmBytes = AcceleratorConfig.UnboundedSpmBytes };

    /// <inheritdoc />
    public HoldDecision Decide(in HoldRequest request) => HoldDecision.Hold("unbounded SPM");
}
