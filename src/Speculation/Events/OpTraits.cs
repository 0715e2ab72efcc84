namespace OnSram.Speculation.Events;

/// <summary>
/// Graph-level facts about an op that planners need and that do not depend on kernels: how often
/// one element of the first input is read inside the op, and its sliding window (for halo costs).
/// </summary>
/// <param name="InputReuse">How many times one element of input 0 is read (Kh*Kw*Cout for a conv,
/// Kh*Kw for a depthwise conv, Cin for a dense layer, 1 for elementwise, pooling and concat).</param>
/// <param name="KernelH">Window height (1 when the op has no window).</param>
/// <param name="KernelW">Window width (1 when the op has no window).</param>
/// <param name="StrideH">Vertical stride (1 when the op has no window).</param>
/// <param name="StrideW">Horizontal stride (1 when the op has no window).</param>
/// <param name="DilationH">Vertical dilation (1 when the op has no window).</param>
/// <param name="DilationW">Horizontal dilation (1 when the op has no window).</param>
public readonly record struct OpTraits(
    double InputReuse,
    int KernelH = 1,
    int KernelW = 1,
    int StrideH = 1,
    int StrideW = 1,
    int DilationH = 1,
    int DilationW = 1)
{
    /// <summary>Traits of an op that reads each input element once and has no window.</summary>
    public static OpTraits Elementwise { get; } = new(1.0);

    /// <summary>True when the op slides a window larger than one element (conv, pooling).</summary>
    public bool HasWindow => KernelH > 1 || KernelW > 1 || StrideH > 1 || StrideW > 1;
}
