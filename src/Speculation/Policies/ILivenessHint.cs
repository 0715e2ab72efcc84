namespace OnSram.Speculation.Policies;

/// <summary>
/// Optional: a policy that knows the dataflow (a graph planner applying a plan captured from an earlier
/// iteration) tells the simulator which tensors no later op reads. It is consulted only in live runs (no
/// <see cref="IStreamPreview"/>, where the simulator knows the future itself): a held tensor the hint calls
/// dead is evicted or dropped without a write-back, like a dead tensor in a previewed run. A wrong hint is
/// not free: when an op later reads a tensor that left the SPM without ever being written back, the simulator
/// charges that write-back then (a stand-alone transfer before the op) and the read is a miss.
/// </summary>
public interface ILivenessHint
{
    /// <summary>True when no op after op <paramref name="opIndex"/> reads <paramref name="tensorId"/> (and it is
    /// not a result for the host).</summary>
    bool IsDead(long tensorId, int opIndex);
}
