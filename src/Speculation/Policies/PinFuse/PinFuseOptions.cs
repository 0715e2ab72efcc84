using System.Globalization;

namespace OnSram.Speculation.Policies.PinFuse;

/// <summary>Which choices the Pin-or-Fuse planner may make per producer/consumer edge.</summary>
public enum PinFuseMode
{
    /// <summary>Off chip, pinned or fused, chosen jointly (<c>pinfuse</c>).</summary>
    PinOrFuse,

    /// <summary>Off chip or pinned (<c>pin</c>).</summary>
    PinOnly,

    /// <summary>Off chip or fused (<c>fuse</c>).</summary>
    FuseOnly,
}

/// <summary>Options of the Pin-or-Fuse planner, validated once by <see cref="Validate"/>.</summary>
/// <param name="MaxGroupOps">Most ops in one fused group (bounds the dynamic programme's work; default 8).</param>
/// <param name="ReserveBytes">SPM bytes kept free of pinned tensors and fused working sets at every op for the
/// ops' own streaming (null: the device's <c>stream_buffer_bytes</c>).</param>
public sealed record PinFuseOptions(int MaxGroupOps = 8, long? ReserveBytes = null)
{
    /// <summary>The defaults.</summary>
    public static PinFuseOptions Default { get; } = new();

    /// <summary>Checks the values and returns the options; throws <see cref="ArgumentException"/> naming the first at fault.</summary>
    public PinFuseOptions Validate()
    {
        if (MaxGroupOps is < 1 or > 64)
        {
            throw new ArgumentException($"{nameof(MaxGroupOps)} must be between 1 and 64, got {MaxGroupOps.ToString(CultureInfo.InvariantCulture)}", nameof(MaxGroupOps));
        }
        if (ReserveBytes is < 0)
        {
            throw new ArgumentException($"{nameof(ReserveBytes)} must be >= 0, got {ReserveBytes.Value.ToString(CultureInfo.InvariantCulture)}", nameof(ReserveBytes));
        }
        return this;
    }
}
