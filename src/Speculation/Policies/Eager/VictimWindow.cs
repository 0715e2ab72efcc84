namespace OnSram.Speculation.Policies.Eager;

/// <summary>What evicting one held tensor would cost, as a policy sees it.</summary>
/// <param name="Eligible">False when it must not be evicted (locked, or a policy rule forbids it).</param>
/// <param name="Cost">Value lost by evicting it (seconds; summed over a window).</param>
/// <param name="Soon">True when it is predicted to be read very soon (windows avoid such tensors first).</param>
/// <param name="NextUse">Op of its next use (int.MaxValue when none): the Belady key.</param>
internal readonly record struct VictimCost(bool Eligible, double Cost, bool Soon, int NextUse);

/// <summary>How windows are compared.</summary>
internal enum WindowOrder
{
    /// <summary>Fewest tensors read soon, then the lowest summed cost, then the fewest bytes.</summary>
    Value,

    /// <summary>Belady: the window whose soonest-used victim is used latest, then the lowest summed cost, then the fewest bytes.</summary>
    Belady,
}

/// <summary>
/// Chooses victims for a hold with the SPM's address layout in mind: a hold needs one contiguous block, so the
/// victims must free a window of adjacent space (free gaps and evictable held blocks) at least as large as the
/// block. The held tensors' blocks are the only allocations, so the layout follows from <see cref="ISpmState"/>.
/// Every window of consecutive segments is scored and the best one's held tensors are returned.
/// </summary>
internal static class VictimWindow
{
    /// <summary>The victims of the best window for <paramref name="needed"/> bytes, or null when no window exists.</summary>
    public static List<TensorStatus>? Choose(ISpmState state, long needed, Func<TensorStatus, VictimCost> cost, WindowOrder order)
    {
        var held = new List<(TensorStatus Status, VictimCost Cost)>(state.HeldCount);
        for (var i = 0; i < state.HeldCount; i++)
        {
            var t = state.GetHeld(i);
            held.Add((t, cost(t)));
        }
        held.Sort((a, b) => a.Status.BlockOffset.CompareTo(b.Status.BlockOffset));

        // Segments in address order: free gaps (index -1) and held blocks.
        var segments = new List<(long Length, int Held)>(2 * held.Count + 1);
        long cursor = 0;
        for (var i = 0; i < held.Count; i++)
        {
            var s = held[i].Status;
            if (s.BlockOffset > cursor)
            {
                segments.Add((s.BlockOffset - cursor, -1));
            }
            segments.Add((s.BlockBytes, i));
            cursor = Math.Max(cursor, s.BlockOffset + s.BlockBytes);
        }
        if (state.CapacityBytes > cursor)
        {
            segments.Add((state.CapacityBytes - cursor, -1));
        }

        var bestStart = -1;
        var bestEnd = -1;
        (int Soon, double Primary, double Cost, long Bytes) best = default;
        for (var start = 0; start < segments.Count; start++)
        {
            long length = 0, bytes = 0;
            var soon = 0;
            double sum = 0;
            var nearest = int.MaxValue;
            for (var end = start; end < segments.Count; end++)
            {
                var (len, h) = segments[end];
                if (h >= 0)
                {
                    var c = held[h].Cost;
                    if (!c.Eligible)
                    {
                        break;
                    }
                    bytes += len;
                    sum += c.Cost;
                    soon += c.Soon ? 1 : 0;
                    nearest = Math.Min(nearest, c.NextUse);
                }
                length += len;
                if (length < needed)
                {
                    continue;
                }
                var key = order == WindowOrder.Value
                    ? (soon, 0.0, sum, bytes)
                    : (0, -(double)nearest, sum, bytes);
                if (bestStart < 0 || Compare(key, best) < 0)
                {
                    best = key;
                    bestStart = start;
                    bestEnd = end;
                }
                break;
            }
        }
        if (bestStart < 0)
        {
            return null;
        }
        var victims = new List<TensorStatus>();
        for (var k = bestStart; k <= bestEnd; k++)
        {
            if (segments[k].Held >= 0)
            {
                victims.Add(held[segments[k].Held].Status);
            }
        }
        return victims;
    }

    private static int Compare((int Soon, double Primary, double Cost, long Bytes) a, (int Soon, double Primary, double Cost, long Bytes) b)
    {
        var c = a.Soon.CompareTo(b.Soon);
        if (c != 0)
        {
            return c;
        }
        c = a.Primary.CompareTo(b.Primary);
        if (c != 0)
        {
            return c;
        }
        c = a.Cost.CompareTo(b.Cost);
        return c != 0 ? c : a.Bytes.CompareTo(b.Bytes);
    }
}
