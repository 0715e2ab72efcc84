using OnSram.Speculation.Events;

namespace OnSram.Speculation.Policies;

/// <summary>The question the simulator asks for one output of one op.</summary>
/// <param name="Op">The op being executed.</param>
/// <param name="OpIndex">Stable index of the op in the run (0-based; the same index a preview and the
/// feedback use).</param>
/// <param name="Iteration">Index of the iteration the op belongs to (0-based: marks seen so far).</param>
/// <param name="OutputIndex">Which output of the op is decided.</param>
/// <param name="Tensor">The output tensor.</param>
/// <param name="DeviceBytes">Bytes of the tensor on the device.</param>
/// <param name="BlockBytes">Bytes a hold takes in the SPM (rounded up to the alignment).</param>
/// <param name="FreeBytes">Free SPM bytes now (after earlier outputs of this op were placed).</param>
/// <param name="LargestFreeBlock">Largest contiguous free block now.</param>
/// <param name="State">Read-only view of the SPM and the tensors the simulator tracks.</param>
public readonly record struct HoldRequest(
    OpEvent Op,
    int OpIndex,
    int Iteration,
    int OutputIndex,
    TensorInfo Tensor,
    long DeviceBytes,
    long BlockBytes,
    long FreeBytes,
    long LargestFreeBlock,
    ISpmState State);

/// <summary>A policy's answer for one output, with a short reason for the decision log.</summary>
/// <param name="IsHold">True to hold the output in the SPM, false to write it back.</param>
/// <param name="Reason">Why (a constant string: it goes to the log; keep it allocation-free).</param>
public readonly record struct HoldDecision(bool IsHold, string Reason)
{
    /// <summary>
    /// For a hold: SPM bytes to reserve instead of the whole tensor (null: the whole tensor). Graph planners
    /// use it for a fused output that exists on chip only as the tiles its consumer works on; the tensor
    /// still counts as in the SPM for its readers (hits). Values outside (0, device bytes) are ignored. If such
    /// a tensor is later evicted or dropped while live, its whole device bytes are written back.
    /// </summary>
    public long? ReservedBytes { get; init; }

    /// <summary>
    /// For a hold: an input of the same op, held in the SPM and dead after this op (no later op reads it), whose
    /// space is handed over to the output: the input leaves the SPM (counted as a drop, no write-back) before
    /// the output is placed. Ignored (the output is placed normally) when that tensor is not a held input of
    /// the op or is still live.
    /// </summary>
    public long? InPlaceOf { get; init; }

    /// <summary>Hold the output.</summary>
    public static HoldDecision Hold(string reason) => new(true, reason);

    /// <summary>Discard the output (write it back to external memory).</summary>
    public static HoldDecision Discard(string reason) => new(false, reason);

    /// <summary>Hold the output but reserve only <paramref name="reservedBytes"/> of SPM (see <see cref="ReservedBytes"/>).</summary>
    public static HoldDecision HoldReserved(long reservedBytes, string reason) => new(true, reason) { ReservedBytes = reservedBytes };

    /// <summary>Hold the output in the space of the dying input <paramref name="inputTensorId"/> (see <see cref="InPlaceOf"/>).</summary>
    public static HoldDecision HoldInPlaceOf(long inputTensorId, string reason) => new(true, reason) { InPlaceOf = inputTensorId };
}
