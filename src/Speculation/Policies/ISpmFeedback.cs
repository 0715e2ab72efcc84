using OnSram.Accelerator.Cost;
using OnSram.Speculation.Events;

namespace OnSram.Speculation.Policies;

/// <summary>
/// Optional: outcomes of the simulation, reported to the policy as they happen (learning policies).
/// Every method has an empty default, so a policy implements only what it uses. Order per op:
/// <see cref="OnInputRead"/> for each distinct input, <see cref="OnEvicted"/> for victims,
/// <see cref="OnHoldOutcome"/> for each output, <see cref="OnOpCharged"/>, then (post-op drops)
/// <see cref="OnEvicted"/>.
/// </summary>
public interface ISpmFeedback
{
    /// <summary>An op read an input: found in the SPM (hit), read back from external memory (miss), or an
    /// external tensor (weights, model input) streamed as always.</summary>
    void OnInputRead(in InputReadFeedback read)
    {
    }

    /// <summary>The result of a hold decision for one output (held, discarded, or a hold that failed).</summary>
    void OnHoldOutcome(in HoldOutcomeFeedback outcome)
    {
    }

    /// <summary>An op was charged: its cost figures (memory-bound or not, external bytes moved).</summary>
    void OnOpCharged(in OpChargedFeedback op)
    {
    }

    /// <summary>A held tensor left the SPM before its release: evicted for room or dropped by the policy.</summary>
    void OnEvicted(in EvictionFeedback eviction)
    {
    }

    /// <summary>A device tensor was released (its last handle went).</summary>
    void OnReleased(in ReleaseFeedback release)
    {
    }

    /// <summary>A mark was placed.</summary>
    void OnMark(in MarkFeedback mark)
    {
    }
}

/// <summary>Where an input was found.</summary>
public enum InputSource
{
    /// <summary>In the SPM (an spm_hit).</summary>
    Hit,

    /// <summary>Produced on the device but no longer in the SPM: read back from external memory (an spm_miss).</summary>
    Miss,

    /// <summary>Never produced by an op (weights, model input): read from external memory, neither hit nor miss.</summary>
    External,
}

/// <summary>One input read.</summary>
/// <param name="OpIndex">The reading op.</param>
/// <param name="Iteration">Its iteration.</param>
/// <param name="InputIndex">Position of the input in the op (the first position when an op reads a tensor twice).</param>
/// <param name="TensorId">The tensor.</param>
/// <param name="DeviceBytes">Its bytes on the device.</param>
/// <param name="Source">Hit, miss or external.</param>
/// <param name="ProducerOpIndex">Op that produced it (-1 for external tensors).</param>
public readonly record struct InputReadFeedback(int OpIndex, int Iteration, int InputIndex, long TensorId, long DeviceBytes, InputSource Source, int ProducerOpIndex);

/// <summary>The outcome of one hold decision.</summary>
/// <param name="OpIndex">The producing op.</param>
/// <param name="Iteration">Its iteration.</param>
/// <param name="OutputIndex">Which output.</param>
/// <param name="TensorId">The output tensor.</param>
/// <param name="DeviceBytes">Its bytes on the device.</param>
/// <param name="Decision">What the policy answered.</param>
/// <param name="Held">True when the tensor is now in the SPM.</param>
/// <param name="Evictions">Victims evicted to place it.</param>
/// <param name="FragmentationFailures">Allocation attempts for it that failed although enough bytes were free.</param>
public readonly record struct HoldOutcomeFeedback(int OpIndex, int Iteration, int OutputIndex, long TensorId, long DeviceBytes, HoldDecision Decision, bool Held, int Evictions, int FragmentationFailures)
{
    /// <summary>True when the policy asked to hold but there was no room.</summary>
    public bool Failed => Decision.IsHold && !Held;
}

/// <summary>One charged op.</summary>
/// <param name="OpIndex">The op.</param>
/// <param name="Iteration">Its iteration.</param>
/// <param name="Op">The op event.</param>
/// <param name="Cost">Its cost: traffic by level, time by term, bound-by, energy.</param>
/// <param name="StagingBytes">SPM bytes left for its tiles by held tensors (free bytes plus the reserved streaming buffer).</param>
public readonly record struct OpChargedFeedback(int OpIndex, int Iteration, OpEvent Op, OpCost Cost, long StagingBytes);

/// <summary>Why a held tensor left the SPM before its release.</summary>
public enum EvictionReason
{
    /// <summary>Chosen as a victim to make room for a hold.</summary>
    Evicted,

    /// <summary>Dropped by the policy after an op.</summary>
    Dropped,
}

/// <summary>A held tensor leaving the SPM before its release.</summary>
/// <param name="OpIndex">The op during (eviction) or after (drop) which it happened.</param>
/// <param name="Iteration">Its iteration.</param>
/// <param name="TensorId">The tensor.</param>
/// <param name="DeviceBytes">Its bytes.</param>
/// <param name="Reason">Eviction or drop.</param>
/// <param name="WasLive">True when the value may still be needed: in a live run, every tensor not yet
/// released; with a preview, a tensor some later op reads or that no op ever read (a result).</param>
/// <param name="WrittenBack">True when it was written back (exactly when live).</param>
/// <param name="ReadsWhileHeld">Hits it served while held.</param>
public readonly record struct EvictionFeedback(int OpIndex, int Iteration, long TensorId, long DeviceBytes, EvictionReason Reason, bool WasLive, bool WrittenBack, int ReadsWhileHeld);

/// <summary>A device tensor's release.</summary>
/// <param name="OpsBefore">Number of ops executed before the release.</param>
/// <param name="Iteration">The current iteration.</param>
/// <param name="TensorId">The tensor.</param>
/// <param name="DeviceBytes">Its bytes.</param>
/// <param name="WasHeld">True when it was in the SPM (its space is freed).</param>
/// <param name="Reads">Reads by ops over its lifetime.</param>
/// <param name="ReadsWhileHeld">Hits it served.</param>
/// <param name="WrittenBack">True when the release wrote it back: a held tensor no op ever read is a result
/// for the host (<see cref="HeldUnread"/>); so is one that left the SPM unread as dead (a wrong liveness claim), written
/// back late.</param>
public readonly record struct ReleaseFeedback(int OpsBefore, int Iteration, long TensorId, long DeviceBytes, bool WasHeld, int Reads, int ReadsWhileHeld, bool WrittenBack)
{
    /// <summary>True when it was held and no op read it while held: the hold never paid off.</summary>
    public bool HeldUnread => WasHeld && ReadsWhileHeld == 0;
}

/// <summary>A mark.</summary>
/// <param name="OpsBefore">Number of ops executed before the mark.</param>
/// <param name="Iteration">For an iteration mark, the index of the iteration it closes; otherwise the current one.</param>
/// <param name="Label">The label.</param>
public readonly record struct MarkFeedback(int OpsBefore, int Iteration, string Label);
