namespace OnSram.Speculation.Policies.Lru;

/// <summary>
/// A cache: hold every output that can fit the SPM at all; when room is needed, evict the held tensor
/// used least recently (produced or read longest ago; the lower tensor id on ties). Live victims are written
/// back by the simulator and a later read of them is a miss.
/// </summary>
[SpmPolicy(PolicyName, Description = "hold everything that fits, evict the least recently used")]
public sealed class LruPolicy : ISpmPolicy, IVictimSelector
{
    /// <summary>The registered name.</summary>
    public const string PolicyName = "lru";

    /// <inheritdoc />
    public string Name => PolicyName;

    /// <inheritdoc />
    public HoldDecision Decide(in HoldRequest request) => request.BlockBytes <= request.State.CapacityBytes
        ? HoldDecision.Hold("lru holds every output")
        : HoldDecision.Discard("larger than the SPM");

    /// <inheritdoc />
    public bool TryChooseVictim(in EvictionRequest request, out long victimTensorId)
    {
        var state = request.State;
        victimTensorId = 0;
        var bestUse = int.MaxValue;
        var found = false;
        for (var i = 0; i < state.HeldCount; i++)
        {
            var t = state.GetHeld(i);
            if (!state.IsEvictable(t.TensorId))
            {
                continue;
            }
            if (t.LastUseOpIndex < bestUse || (t.LastUseOpIndex == bestUse && t.TensorId < victimTensorId))
            {
                bestUse = t.LastUseOpIndex;
                victimTensorId = t.TensorId;
                found = true;
            }
        }
        return found;
    }
}
