using OnSram.Speculation.Events;

namespace OnSram.Speculation.Policies;

/// <summary>
/// Optional: the policy's execution plan makes an op do extra arithmetic, e.g. recomputing the halo rows of
/// a fused producer tile by tile (Pin or Fuse). Asked once per op, before it is charged; the FLOPs are
/// added to the op's own (same array, same energy per FLOP).
/// </summary>
public interface IExtraWorkPolicy
{
    /// <summary>Extra FLOPs op <paramref name="opIndex"/> performs under this policy (0 for none).</summary>
    double ExtraFlops(in OpEvent op, int opIndex);
}
