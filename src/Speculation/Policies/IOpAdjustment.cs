using OnSram.Speculation.Events;

namespace OnSram.Speculation.Policies;

/// <summary>
/// Optional: the policy changes how an op executes and the simulator charges the difference. Graph planners
/// that fuse layers use it: in tile-by-tile execution a producer recomputes the overlapping halo of its
/// consumer's tiles (extra FLOPs) and the group re-reads the halo of its off-chip inputs (extra external
/// bytes). Asked once per op, after its outputs are decided and before it is charged.
/// </summary>
public interface IOpAdjustment
{
    /// <summary>Extra work of op <paramref name="opIndex"/> (<see cref="OpAdjustment.None"/> for none).</summary>
    OpAdjustment Adjust(int opIndex, in OpEvent op);
}

/// <summary>Extra work an op does because of how the policy runs it. Both values must be finite and &gt;= 0.</summary>
/// <param name="ExtraFlops">FLOPs added to the op (recomputation), on the op's own array.</param>
/// <param name="ExtraExternalReadBytes">Bytes read from external memory in addition to the op's inputs
/// (halo rows re-read by overlapping tiles); charged as streamed bytes of the op's largest streamed input (the
/// operand re-read tile by tile).</param>
public readonly record struct OpAdjustment(double ExtraFlops, long ExtraExternalReadBytes)
{
    /// <summary>No extra work.</summary>
    public static OpAdjustment None => default;
}
