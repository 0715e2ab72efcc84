namespace OnSram.Runtime.Kernels;

/// <summary>
/// The left operand A of <see cref="Gemm"/>, seen through its packing routine: a dense matrix, or an
/// implicit im2col view of a convolution input (<see cref="ConvPatchA"/>) that is never materialized.
/// </summary>
internal unsafe interface IGemmA
{
    /// <summary>
    /// Packs rows [<paramref name="row0"/>, +<paramref name="rows"/>) and depth [<paramref name="depth0"/>,
    /// +<paramref name="depth"/>) into slivers of <see cref="Gemm.MR"/> rows: sliver s starts at
    /// <c>dst + s * depth * MR</c> and holds element (row r, depth t) at <c>[t * MR + r]</c>. Rows past
    /// the block are written as zeros.
    /// </summary>
    void Pack(float* dst, int row0, int rows, int depth0, int depth);
}

/// <summary>A dense A: element (i, p) at <c>a[i * rowStride + p * colStride]</c> (covers A and Aᵀ).</summary>
internal readonly unsafe struct StridedA : IGemmA
{
    private readonly float* _a;
    private readonly long _rowStride;
    private readonly long _colStride;

    /// <summary>Creates the view.</summary>
    public StridedA(float* a, long rowStride, long colStride)
    {
        _a = a;
        _rowStride = rowStride;
        _colStride = colStride;
    }

    /// <inheritdoc />
    public void Pack(float* dst, int row0, int rows, int depth0, int depth)
    {
        const int mr = Gemm.MR;
        for (var s = 0; s < rows; s += mr)
        {
            var sliver = dst + (long)s / mr * depth * mr;
            var valid = Math.Min(mr, rows - s);
            if (_rowStride == 1 && valid == mr)
            {
                // Aᵀ stored row-major: MR consecutive rows of A are contiguous for one depth index.
                var src = _a + (row0 + s) + depth0 * _colStride;
                for (var t = 0; t < depth; t++)
                {
                    new ReadOnlySpan<float>(src + t * _colStride, mr).CopyTo(new Span<float>(sliver + t * mr, mr));
                }
                continue;
            }
            for (var r = 0; r < mr; r++)
            {
                var d = sliver + r;
                if (r >= valid)
                {
                    for (var t = 0; t < depth; t++)
                    {
                        d[t * mr] = 0f;
                    }
                    continue;
                }
                var src = _a + (row0 + s + r) * _rowStride + depth0 * _colStride;
                if (_colStride == 1)
                {
                    for (var t = 0; t < depth; t++)
                    {
                        d[t * mr] = src[t];
                    }
                }
                else
                {
                    for (var t = 0; t < depth; t++)
                    {
                        d[t * mr] = src[t * _colStride];
                    }
                }
            }
        }
    }
}

/// <summary>
/// The implicit im2col matrix of an NHWC convolution: row i is output pixel (n, oh, ow), column p is
/// (kh, kw, c) in the filter's [Kh, Kw, Cin] order, so the filter reshaped to [Kh*Kw*Cin, Cout] is B and
/// the product is the NHWC output. Padding positions read as zero. Packing reads the input directly,
/// which avoids a Kh*Kw-times larger patch buffer.
/// </summary>
internal readonly unsafe struct ConvPatchA : IGemmA
{
    private readonly float* _input;
    private readonly ConvGeometry _g;
    private readonly int _channelOffset;
    private readonly int _channels;

    /// <summary>Creates the view for one channel group (<paramref name="channelOffset"/>, <paramref name="channels"/> wide).</summary>
    public ConvPatchA(float* input, ConvGeometry geometry, int channelOffset, int channels)
    {
        _input = input;
        _g = geometry;
        _channelOffset = channelOffset;
        _channels = channels;
    }

    /// <inheritdoc />
    public void Pack(float* dst, int row0, int rows, int depth0, int depth)
    {
        const int mr = Gemm.MR;
        var g = _g;
        var cg = _channels;
        var pixels = g.OutH * g.OutW;
        for (var s = 0; s < rows; s += mr)
        {
            var sliver = dst + (long)s / mr * depth * mr;
            var valid = Math.Min(mr, rows - s);
            for (var r = 0; r < mr; r++)
            {
                var d = sliver + r;
                if (r >= valid)
                {
                    for (var t = 0; t < depth; t++)
                    {
                        d[t * mr] = 0f;
                    }
                    continue;
                }
                var row = row0 + s + r;
                var n = row / pixels;
                var rem = row - n * pixels;
                var oh = rem / g.OutW;
                var ow = rem - oh * g.OutW;
                var ih0 = oh * g.StrideH - g.PadTop;
                var iw0 = ow * g.StrideW - g.PadLeft;
                var image = _input + (long)n * g.InH * g.InW * g.InC + _channelOffset;

                var kk = depth0 / cg;
                var c = depth0 - kk * cg;
                var kh = kk / g.KernelW;
                var kw = kk - kh * g.KernelW;
                var pos = 0;
                while (pos < depth)
                {
                    var run = Math.Min(cg - c, depth - pos);
                    var ih = ih0 + kh * g.DilationH;
                    var iw = iw0 + kw * g.DilationW;
                    if ((uint)ih < (uint)g.InH && (uint)iw < (uint)g.InW)
                    {
                        var src = image + ((long)ih * g.InW + iw) * g.InC + c;
                        for (var q = 0; q < run; q++)
                        {
                            d[(pos + q) * mr] = src[q];
                        }
                    }
                    else
                    {
                        for (var q = 0; q < run; q++)
                        {
                            d[(pos + q) * mr] = 0f;
                        }
                    }
                    pos += run;
                    c = 0;
                    if (++kw == g.KernelW)
                    {
                        kw = 0;
                        kh++;
                    }
                }
            }
        }
    }
}
