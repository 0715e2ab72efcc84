using OnSram.Speculation.Simulation;

namespace OnSram.Speculation.Logging;

/// <summary>Receives the simulator's decisions and its end-of-run summary (the speculation log).</summary>
public interface IDecisionLog
{
    /// <summary>One decision (hold, discard, failed hold, eviction, drop, write-back of a result).</summary>
    void Decision(in DecisionEntry entry);

    /// <summary>The run is finished.</summary>
    void Summary(SimulationReport report);
}

/// <summary>What a decision was about.</summary>
public enum DecisionKind
{
    /// <summary>An output was placed in the SPM.</summary>
    Hold,

    /// <summary>The policy chose to write an output back.</summary>
    Discard,

    /// <summary>The policy wanted an output held but there was no room: written back.</summary>
    HoldFailed,

    /// <summary>A held tensor was evicted to make room.</summary>
    Evict,

    /// <summary>The policy dropped a held tensor after an op.</summary>
    Drop,

    /// <summary>A held result (never read by an op) was written back at its release or at the end of the run.</summary>
    WriteBackResult,

    /// <summary>
    /// A tensor that left the SPM without a write-back (the policy's liveness hint called it dead) was read again, or
    /// turned out to be a result: its write-back is charged now, late (a misprediction of the hint).
    /// </summary>
    LateWriteBack,
}

/// <summary>One entry of the speculation log.</summary>
/// <param name="OpIndex">The op (for a release-time write-back: ops executed before it).</param>
/// <param name="OpType">Its op type ("" when the entry is not tied to an op).</param>
/// <param name="Iteration">The iteration.</param>
/// <param name="TensorId">The tensor decided about.</param>
/// <param name="Bytes">Its device bytes.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Reason">Why (the policy's reason, or the simulator's).</param>
/// <param name="FreeSpmBytes">Free SPM bytes after the decision.</param>
/// <param name="WrittenBack">True when the decision moved the tensor to external memory.</param>
public readonly record struct DecisionEntry(int OpIndex, string OpType, int Iteration, long TensorId, long Bytes, DecisionKind Kind, string Reason, long FreeSpmBytes, bool WrittenBack);
