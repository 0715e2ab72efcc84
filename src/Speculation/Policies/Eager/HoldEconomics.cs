namespace OnSram.Speculation.Policies.Eager;

/// <summary>Pieces of the hold/discard arithmetic shared by the eager policy and the oracle.</summary>
internal static class HoldEconomics
{
    /// <summary>
    /// The op being decided, as it stands at a <see cref="ISpmPolicy.Decide"/> call: inputs held in the SPM are
    /// hits (inputs are locked, so "held now" is "was a hit"), earlier outputs as placed, later outputs assumed
    /// written back, victims written back so far, staging = the free SPM bytes now plus the reserved streaming
    /// buffer (<paramref name="streamBufferBytes"/>: the simulator charges an op with both, see
    /// <c>docs/cost-model.md</c>, "Tiling").
    /// </summary>
    public static OpShape CurrentOp(in HoldRequest r, int deviceFloatBytes, long streamBufferBytes, long evictedWriteBackBytes)
    {
        var s = OpShape.Of(r.Op, deviceFloatBytes, r.FreeBytes + streamBufferBytes);
        var state = r.State;
        for (var i = 0; i < s.InputCount; i++)
        {
            s.SetResident(i, state.IsHeld(s.InputId(i)));
        }
        for (var j = 0; j < r.OutputIndex && j < s.OutputCount; j++)
        {
            s.SetHeld(j, state.IsHeld(s.OutputId(j)));
        }
        s.EvictionWriteBackBytes = evictedWriteBackBytes;
        return s;
    }

    /// <summary>
    /// True when benefit minus cost (seconds) says hold: clearly positive, or a tie in
    /// time (both alternatives set by compute) broken by the external bytes saved, which cost energy.
    /// </summary>
    public static bool SaysHold(double benefit, double cost, long netBytes)
    {
        var net = benefit - cost;
        var tolerance = 1e-9 * (Math.Abs(benefit) + Math.Abs(cost)) + 1e-18;
        if (net > tolerance)
        {
            return true;
        }
        if (net < -tolerance)
        {
            return false;
        }
        return netBytes > 0;
    }
}
