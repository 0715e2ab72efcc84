namespace OnSram.Speculation.Policies;

/// <summary>
/// Optional: chooses held tensors to evict when a hold does not fit. The simulator asks again after each
/// eviction until the hold fits or the policy gives up (returns false: the output is written back).
/// An evicted tensor that is still live is written back (external traffic charged to the current op) and
/// a later read of it is a miss. Inputs and earlier outputs of the current op cannot be evicted
/// (<see cref="ISpmState.IsEvictable"/>); naming one, or a tensor not held, is a policy error.
/// </summary>
public interface IVictimSelector
{
    /// <summary>Chooses one held tensor to evict, or returns false to give up.</summary>
    bool TryChooseVictim(in EvictionRequest request, out long victimTensorId);
}

/// <summary>The room needed for a hold.</summary>
/// <param name="Hold">The hold being placed.</param>
/// <param name="NeededBytes">Block bytes the hold needs (aligned).</param>
/// <param name="FreeBytes">Free SPM bytes now.</param>
/// <param name="LargestFreeBlock">Largest contiguous free block now (the hold fits when it reaches
/// <paramref name="NeededBytes"/>; free bytes can suffice while no block does: fragmentation).</param>
/// <param name="Attempt">0 for the first victim of this hold, then 1, 2, ...</param>
public readonly record struct EvictionRequest(HoldRequest Hold, long NeededBytes, long FreeBytes, long LargestFreeBlock, int Attempt)
{
    /// <summary>The SPM state (same as <c>Hold.State</c>).</summary>
    public ISpmState State => Hold.State;
}
