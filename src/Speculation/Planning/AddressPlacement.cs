using OnSram.Accelerator.Memory;

namespace OnSram.Speculation.Planning;

/// <summary>
/// Places a plan's held tensors at addresses by replaying, in program order, exactly the allocations and frees
/// the simulator will perform with the same best-fit allocator (<see cref="Scratchpad"/>): at each op its held
/// outputs in output order (a hand-over frees the giver first), then the tensors released after the op. The
/// replay from an empty SPM matches the simulator because a plan frees every block it allocates within the
/// iteration. The replayed scratchpad is the simulator's: the holdable part of the SPM (<c>spm_bytes</c> minus
/// <c>stream_buffer_bytes</c>); best fit over the whole SPM would choose other blocks and could admit a tensor the
/// simulator then fails to hold. One replay costs O(ops + held tensors x free blocks).
/// </summary>
internal static class AddressPlacement
{
    /// <summary>
    /// Replays the plan as it stands. Returns null when every held tensor found a block (<paramref name="offsets"/>
    /// then holds each tensor's offset, -1 off chip), otherwise the first allocation, in program order, that found
    /// none although the byte-level check admitted it.
    /// </summary>
    public static PlacementFailure? TryPlace(PlanDraft draft, PlannerDevice device, out long[] offsets)
    {
        var graph = draft.Graph;
        var n = graph.Tensors.Count;
        var releases = new List<int>?[graph.OpCount];
        for (var t = 0; t < n; t++)
        {
            var after = draft.ReleaseAfter[t];
            if (draft.Placements[t] != TensorPlacement.OffChip && after >= 0 && after < graph.OpCount)
            {
                (releases[after] ??= new List<int>()).Add(t);
            }
        }
        var spm = new Scratchpad(device.Config.HoldableSpmBytes, device.Alignment);
        var current = new long[n];
        Array.Fill(current, -1L);
        offsets = new long[n];
        Array.Fill(offsets, -1L);
        for (var p = 0; p < graph.OpCount; p++)
        {
            foreach (var o in graph.Ops[p].Outputs)
            {
                if (draft.Placements[o] == TensorPlacement.OffChip)
                {
                    continue;
                }
                var giver = draft.HandOverFrom[o];
                if (giver >= 0 && current[giver] >= 0)
                {
                    spm.Free(current[giver]);
                    current[giver] = -1;
                }
                var bytes = draft.Reserved[o];
                if (!spm.TryAllocate(bytes, out var offset))
                {
                    return new PlacementFailure(o, p, spm.AlignedSize(bytes), spm.FreeBytes, spm.LargestFreeBlock);
                }
                current[o] = offset;
                offsets[o] = offset;
            }
            if (releases[p] is { } freed)
            {
                foreach (var t in freed)
                {
                    if (current[t] >= 0)
                    {
                        spm.Free(current[t]);
                        current[t] = -1;
                    }
                }
            }
        }
        return null;
    }

    /// <summary>
    /// Resolves addresses: replays the plan; a tensor that finds no block is reported as a
    /// <see cref="PlacementFailure"/>, handed to <paramref name="unplace"/> (which plans it off chip, and may change
    /// other decisions), and the replay starts again, until every held tensor has an address. Returns the offset
    /// of each held tensor (-1 for tensors off chip) and records it in the draft.
    /// </summary>
    public static long[] Resolve(PlanDraft draft, PlannerDevice device, Action<int> unplace)
    {
        while (true)
        {
            var failure = TryPlace(draft, device, out var offsets);
            if (failure is null)
            {
                draft.Offsets = offsets;
                return offsets;
            }
            draft.PlacementFailures.Add(failure);
            unplace(failure.Tensor);
        }
    }
}
