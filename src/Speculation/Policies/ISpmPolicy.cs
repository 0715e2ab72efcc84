namespace OnSram.Speculation.Policies;

/// <summary>
/// A scratchpad-management policy: for every output of every op, hold it in the SPM or discard it
/// (write it back to external memory). The simulator asks; the policy answers. Optional interfaces add
/// abilities: <see cref="IVictimSelector"/> (evict held tensors to make room), <see cref="IPostOpPolicy"/>
/// (drop held tensors after an op), <see cref="ISpmFeedback"/> (learn from outcomes),
/// <see cref="IStreamPreview"/> (see the whole run first: oracles, static planners) and
/// <see cref="IConfigOverride"/> (change the device, e.g. an unbounded SPM).
/// A policy instance serves one simulation; the registry creates a fresh one each time.
/// See <c>docs/simulator.md</c>, "Writing a policy".
/// </summary>
public interface ISpmPolicy
{
    /// <summary>The policy's registered name (as in reports and <c>ONSRAM=</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Hold output <see cref="HoldRequest.OutputIndex"/> of the op in the SPM, or discard it. A hold that
    /// does not fit (even after evictions) fails and the output is written back.
    /// </summary>
    HoldDecision Decide(in HoldRequest request);
}
