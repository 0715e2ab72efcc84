namespace OnSram.Speculation.Policies.Lru;

/// <summary>
/// A cache: hold every output that can fit the SPM at all; when room is needed, evict the held tensor
/// used least recently (produced or read longest ago; the lower tensor id on ties). Live victims are written
/// back by the simulator and a later read of them is a miss. When no evictions could make room (the tensors of the
/// op being executed, which cannot be evicted, leave no gap that large), it evicts nothing and the hold fails.
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
        if (request.Attempt == 0 && !CanMakeRoom(state, request.NeededBytes))
        {
            return false;
        }
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

    /// <summary>
    /// True when evicting every evictable tensor would leave a free block of <paramref name="needed"/> bytes: some gap
    /// between the blocks of the tensors that cannot be evicted (this op's inputs and outputs) is that large.
    /// </summary>
    private static bool CanMakeRoom(ISpmState state, long needed)
    {
        var start = 0L;
        while (true)
        {
            // The nearest pinned block at or after start; the gap before it is free or evictable.
            var next = state.CapacityBytes;
            var nextEnd = -1L;
            for (var i = 0; i < state.HeldCount; i++)
            {
                var t = state.GetHeld(i);
                if (t.BlockOffset >= start && t.BlockOffset < next && !state.IsEvictable(t.TensorId))
                {
                    next = t.BlockOffset;
                    nextEnd = t.BlockOffset + t.BlockBytes;
                }
            }
            if (next - start >= needed)
            {
                return true;
            }
            if (nextEnd < 0)
            {
                return false;
            }
            start = nextEnd;
        }
    }
}
