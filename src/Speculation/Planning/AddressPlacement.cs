using OnSram.Accelerator.Memory;

namespace OnSram.Speculation.Planning;

/// <summary>
/// Places a plan's held tensors at addresses by replaying, in program order, exactly the allocations and frees
/// the simulator will perform with the same best-fit allocator (<see cref="Scratchpad"/>): at each op its held
/// outputs in output order (a hand-over frees the giver first), then the tensors released after the op. A tensor
/// that finds no block although the byte-level check admitted it is reported as a <see cref="PlacementFailure"/>,
/// handed to <c>unplace</c> (which plans it off chip, and may change other decisions), and the replay starts
/// again; it ends when every held tensor has an address. The replay from an empty SPM matches the simulator
/// because a plan frees every block it allocates within the iteration. The replayed scratchpad is the simulator's:
/// the holdable part of the SPM (<c>spm_bytes</c> minus <c>stream_buffer_bytes</c>); best fit over the whole SPM
/// would choose other blocks and could admit a tensor the simulator then fails to hold.
/// </summary>
internal static class AddressPlacement
{
    /// <summary>Resolves addresses; returns the offset of each held tensor (-1 for tensors off chip).</summary>
    public static long[] Resolve(PlanDraft draft, PlannerDevice device, Action<int> unplace)
    {
        var graph = draft.Graph;
        while (true)
        {
            var spm = new Scratchpad(device.Config.HoldableSpmBytes, device.Alignment);
            var offsets = Enumerable.Repeat(-1L, graph.Tensors.Count).ToArray();
            var placed = Enumerable.Repeat(-1L, graph.Tensors.Count).ToArray();
            PlacementFailure? failure = null;
            for (var p = 0; p < graph.OpCount && failure is null; p++)
            {
                foreach (var o in graph.Ops[p].Outputs)
                {
                    if (draft.Placements[o] == TensorPlacement.OffChip)
                    {
                        continue;
                    }
                    var giver = draft.HandOverFrom[o];
                    if (giver >= 0 && offsets[giver] >= 0)
                    {
                        spm.Free(offsets[giver]);
                        offsets[giver] = -1;
                    }
                    var bytes = draft.Reserved[o];
                    if (!spm.TryAllocate(bytes, out var offset))
                    {
                        failure = new PlacementFailure(o, p, spm.AlignedSize(bytes), spm.FreeBytes, spm.LargestFreeBlock);
                        break;
                    }
                    offsets[o] = offset;
                    placed[o] = offset;
                }
                if (failure is not null)
                {
                    break;
                }
                for (var t = 0; t < offsets.Length; t++)
                {
                    if (offsets[t] >= 0 && draft.ReleaseAfter[t] == p)
                    {
                        spm.Free(offsets[t]);
                        offsets[t] = -1;
                    }
                }
            }
            if (failure is null)
            {
                draft.Offsets = placed;
                return placed;
            }
            draft.PlacementFailures.Add(failure);
            unplace(failure.Tensor);
        }
    }
}
