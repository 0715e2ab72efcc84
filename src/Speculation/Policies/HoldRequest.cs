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
/// <param name="FootprintBytes">SPM bytes the hold occupies; 0 (the default) for the whole tensor. A smaller
/// footprint models a tensor that lives on chip only as a band of tiles between a fused producer and
/// consumer (Pin or Fuse): its consumers still find it on chip. If it is evicted or dropped while live, the
/// whole tensor is written back.</param>
public readonly record struct HoldDecision(bool IsHold, string Reason, long FootprintBytes = 0)
{
    /// <summary>Hold the output.</summary>
    public static HoldDecision Hold(string reason) => new(true, reason);

    /// <summary>Hold the output in <paramref name="footprintBytes"/> of SPM (a fused band of tiles).</summary>
    public static HoldDecision HoldAs(long footprintBytes, string reason) => new(true, reason, footprintBytes);

    /// <summary>Discard the output (write it back to external memory).</summary>
    public static HoldDecision Discard(string reason) => new(false, reason);
}
