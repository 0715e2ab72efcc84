namespace OnSram.Speculation.Policies.Baseline;

/// <summary>
/// No SPM management: every output is written back and every input produced on the device is read back
/// from external memory. The reference every speedup is measured against.
/// </summary>
[SpmPolicy(PolicyName, Description = "no SPM management: every output written back, every input read back")]
public sealed class BaselinePolicy : ISpmPolicy
{
    /// <summary>The registered name.</summary>
    public const string PolicyName = "baseline";

    /// <inheritdoc />
    public string Name => PolicyName;

    /// <inheritdoc />
    public HoldDecision Decide(in HoldRequest request) => HoldDecision.Discard("baseline never holds");
}
