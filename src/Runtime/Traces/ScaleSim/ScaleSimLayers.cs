namespace OnSram.Runtime.Traces.ScaleSim;

/// <summary>The two topology formats SCALE-Sim reads.</summary>
public enum ScaleSimFormat
{
    /// <summary>Convolution layers: <c>Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,</c>.</summary>
    Conv,

    /// <summary>Matrix products: <c>Layer, M, N, K,</c>.</summary>
    Gemm,
}

/// <summary>One row of a convolution topology.</summary>
/// <param name="Name">Layer name (a name containing <c>DP</c> marks a depthwise layer, as in SCALE-Sim).</param>
/// <param name="Line">1-based line of the row in its file.</param>
/// <param name="IfmapHeight">Input height as the layer sees it (padding already applied).</param>
/// <param name="IfmapWidth">Input width as the layer sees it (padding already applied).</param>
/// <param name="FilterHeight">Filter height.</param>
/// <param name="FilterWidth">Filter width.</param>
/// <param name="Channels">Input channels.</param>
/// <param name="NumFilters">Filters (output channels; the channel multiplier of a depthwise layer).</param>
/// <param name="StrideHeight">Vertical stride.</param>
/// <param name="StrideWidth">Horizontal stride (the same as the vertical one in the 8-column format).</param>
public sealed record ScaleSimConvLayer(
    string Name,
    int Line,
    long IfmapHeight,
    long IfmapWidth,
    long FilterHeight,
    long FilterWidth,
    long Channels,
    long NumFilters,
    long StrideHeight,
    long StrideWidth)
{
    /// <summary>True when the name contains <c>DP</c> (SCALE-Sim's depthwise convention).</summary>
    public bool IsDepthwise => Name.Contains("DP", StringComparison.Ordinal);

    /// <summary>Output height without padding: (IFMAP - filter) / stride + 1, as SCALE-Sim computes it.</summary>
    public long OutputHeight => (IfmapHeight - FilterHeight) / StrideHeight + 1;

    /// <summary>Output width without padding.</summary>
    public long OutputWidth => (IfmapWidth - FilterWidth) / StrideWidth + 1;

    /// <summary>Output channels: the filters, or channels times filters for a depthwise layer.</summary>
    public long OutputChannels => IsDepthwise ? Channels * NumFilters : NumFilters;
}

/// <summary>One row of a GEMM topology: an [M, K] by [K, N] product.</summary>
/// <param name="Name">Layer name.</param>
/// <param name="Line">1-based line of the row in its file.</param>
/// <param name="M">Rows of the left operand and of the result.</param>
/// <param name="N">Columns of the right operand and of the result.</param>
/// <param name="K">The reduced dimension.</param>
public sealed record ScaleSimGemmLayer(string Name, int Line, long M, long N, long K);
