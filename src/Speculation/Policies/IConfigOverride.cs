using OnSram.Accelerator.Configuration;

namespace OnSram.Speculation.Policies;

/// <summary>
/// Optional: the policy simulates a modified device (the infinite policy makes the SPM unbounded).
/// Reports keep the configuration the user gave and state the SPM capacity actually simulated.
/// </summary>
public interface IConfigOverride
{
    /// <summary>The configuration to simulate, derived from the user's.</summary>
    AcceleratorConfig Apply(AcceleratorConfig config);
}
