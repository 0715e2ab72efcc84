using OnSram.Runtime.Ops;
using OnSram.Speculation.Events;

namespace OnSram.Runtime.Kernels;

/// <summary>
/// The spatial geometry of an NHWC sliding-window op (convolution or pooling): input extent, window,
/// strides, dilations, the padding actually applied on each side and the output extent.
/// </summary>
internal sealed record ConvGeometry(
    int Batch, int InH, int InW, int InC,
    int KernelH, int KernelW,
    int StrideH, int StrideW,
    int DilationH, int DilationW,
    int PadTop, int PadBottom, int PadLeft, int PadRight,
    int OutH, int OutW)
{
    /// <summary>Batch × output height × output width.</summary>
    public long OutputPixels => (long)Batch * OutH * OutW;

    /// <summary>True when the window is a single pixel read in place (1×1, stride 1, no padding).</summary>
    public bool IsPointwise => KernelH == 1 && KernelW == 1 && StrideH == 1 && StrideW == 1
                               && PadTop == 0 && PadBottom == 0 && PadLeft == 0 && PadRight == 0;

    /// <summary>Traits with this window and the given reuse of input 0.</summary>
    public OpTraits Traits(double inputReuse) =>
        new(inputReuse, KernelH, KernelW, StrideH, StrideW, DilationH, DilationW);
}

/// <summary>
/// Parsing of the window attributes shared by Conv2D, DepthwiseConv2dNative, their fused forms and the
/// pools (<c>strides</c>, <c>dilations</c>, <c>ksize</c>, <c>padding</c>, <c>explicit_paddings</c>,
/// <c>data_format</c>) and TensorFlow's output-size rules (<c>GetWindowedOutputSizeVerbose</c>).
/// </summary>
internal static class WindowAttributes
{
    /// <summary>Padding so that output = ceil(input / stride).</summary>
    public const string Same = "SAME";

    /// <summary>No padding.</summary>
    public const string Valid = "VALID";

    /// <summary>Padding given by <c>explicit_paddings</c>.</summary>
    public const string Explicit = "EXPLICIT";

    private static readonly long[] s_ones = { 1, 1, 1, 1 };

    /// <summary>
    /// What Conv2D and DepthwiseConv2dNative validate alike: input and filter (inputs 0 and 1) of one dtype
    /// among float32/float16/bfloat16, both rank 4, NHWC, then strides, dilations and padding (EXPLICIT allowed).
    /// </summary>
    public static ConvAttributes Convolution(OpInvocation invocation)
    {
        invocation.ExpectDType(0, DType.Float32, DType.Float16, DType.BFloat16);
        var dtype = invocation.Inputs[0].DType;
        if (invocation.Inputs[1].DType != dtype)
        {
            throw invocation.Error($"filter (input 1) has dtype {invocation.Inputs[1].DType.Name()}, expected {dtype.Name()} like the input");
        }
        invocation.ExpectRank(0, 4, "input");
        invocation.ExpectRank(1, 4, "filter");
        RequireNhwc(invocation);
        var strides = Spatial(invocation, "strides", required: true);
        var dilations = Spatial(invocation, "dilations", required: false);
        var padding = Padding(invocation, allowExplicit: true);
        return new ConvAttributes(dtype, strides, dilations, padding, ExplicitPads(invocation, padding));
    }

    /// <summary>Rejects any <c>data_format</c> but NHWC (TensorFlow's CPU kernels of these ops take NHWC only).</summary>
    public static void RequireNhwc(OpInvocation invocation)
    {
        var format = invocation.String("data_format", "NHWC", "NHWC", "NCHW");
        if (format != "NHWC")
        {
            throw invocation.Error($"data_format {format} is not supported: the CPU kernel of {invocation.OpType} takes NHWC only (as TensorFlow's); transpose the input to NHWC", "data_format");
        }
    }

    /// <summary>
    /// A 4-value NHWC attribute (<c>strides</c>, <c>dilations</c>, <c>ksize</c>): batch and channel
    /// entries must be 1, spatial entries positive. Absent: <paramref name="required"/> decides between an
    /// error and all ones.
    /// </summary>
    public static (int H, int W) Spatial(OpInvocation invocation, string name, bool required)
    {
        var v = invocation.Ints(name, required ? null : s_ones);
        if (v.Length != 4)
        {
            throw invocation.Error($"must have 4 values (N, H, W, C), got {OpAttrs.FormatValue(v)}", name);
        }
        if (v[0] != 1 || v[3] != 1)
        {
            throw invocation.Error($"must be 1 in the batch and channel dimensions (not supported by the kernel), got {OpAttrs.FormatValue(v)}", name);
        }
        if (v[1] < 1 || v[2] < 1 || v[1] > int.MaxValue || v[2] > int.MaxValue)
        {
            throw invocation.Error($"spatial values must be positive, got {OpAttrs.FormatValue(v)}", name);
        }
        return ((int)v[1], (int)v[2]);
    }

    /// <summary>The <c>padding</c> attribute: SAME or VALID, and EXPLICIT when <paramref name="allowExplicit"/>.</summary>
    public static string Padding(OpInvocation invocation, bool allowExplicit) => allowExplicit
        ? invocation.String("padding", null, Same, Valid, Explicit)
        : invocation.String("padding", null, Same, Valid);

    /// <summary>
    /// The (top, bottom, left, right) padding of <c>explicit_paddings</c> when padding is EXPLICIT (8 values,
    /// (before, after) per NHWC dimension, batch and channel zero); zeros otherwise, when the attribute
    /// must be absent or empty.
    /// </summary>
    public static (int Top, int Bottom, int Left, int Right) ExplicitPads(OpInvocation invocation, string padding)
    {
        const string name = "explicit_paddings";
        var v = invocation.Ints(name, Array.Empty<long>());
        if (padding != Explicit)
        {
            if (v.Length != 0)
            {
                throw invocation.Error($"must be empty unless padding is EXPLICIT (padding is {padding}), got {OpAttrs.FormatValue(v)}", name);
            }
            return default;
        }
        if (v.Length != 8)
        {
            throw invocation.Error($"must have 8 values ((before, after) for N, H, W, C) when padding is EXPLICIT, got {OpAttrs.FormatValue(v)}", name);
        }
        if (v.Any(p => p < 0 || p > int.MaxValue / 4))
        {
            throw invocation.Error($"values must be non-negative, got {OpAttrs.FormatValue(v)}", name);
        }
        if (v[0] != 0 || v[1] != 0 || v[6] != 0 || v[7] != 0)
        {
            throw invocation.Error($"padding in the batch and channel dimensions must be 0, got {OpAttrs.FormatValue(v)}", name);
        }
        return ((int)v[2], (int)v[3], (int)v[4], (int)v[5]);
    }

    /// <summary>The geometry of a window op over the NHWC <paramref name="input"/> shape.</summary>
    public static ConvGeometry Compute(OpInvocation invocation, Shape input, int kernelH, int kernelW,
        (int H, int W) strides, (int H, int W) dilations, string padding, (int Top, int Bottom, int Left, int Right) pads)
    {
        if (input.size > int.MaxValue)
        {
            throw invocation.Error($"input {input.ToCompactString()} has more than {int.MaxValue} elements");
        }
        var (outH, top, bottom) = Dimension(invocation, "rows", input[1], kernelH, strides.H, dilations.H, padding, pads.Top, pads.Bottom);
        var (outW, left, right) = Dimension(invocation, "cols", input[2], kernelW, strides.W, dilations.W, padding, pads.Left, pads.Right);
        return new ConvGeometry((int)input[0], (int)input[1], (int)input[2], (int)input[3], kernelH, kernelW,
            strides.H, strides.W, dilations.H, dilations.W, top, bottom, left, right, outH, outW);
    }

    /// <summary>TensorFlow's windowed output size of one spatial dimension and the padding it implies.</summary>
    public static (int Out, int Before, int After) Dimension(OpInvocation invocation, string which, long input, int kernel,
        int stride, int dilation, string padding, int explicitBefore, int explicitAfter)
    {
        var effective = (long)(kernel - 1) * dilation + 1;
        long output;
        long before = 0, after = 0;
        switch (padding)
        {
            case Same:
                output = (input + stride - 1) / stride;
                var needed = Math.Max(0, (output - 1) * stride + effective - input);
                before = needed / 2;
                after = needed - before; // the odd pixel goes at the end, as TensorFlow does
                break;
            case Explicit:
                before = explicitBefore;
                after = explicitAfter;
                output = (input + before + after - effective + stride) / stride;
                break;
            default:
                output = (input - effective + stride) / stride;
                break;
        }
        if (output < 0)
        {
            throw invocation.Error($"computed output size would be negative in the {which}: {output} [input_size: {input}, effective_filter_size: {effective}, stride: {stride}, padding: {padding}]", "padding");
        }
        return ((int)output, (int)before, (int)after);
    }
}

/// <summary>The validated attributes of a convolution (see <see cref="WindowAttributes.Convolution"/>).</summary>
internal readonly record struct ConvAttributes(
    DType DType,
    (int H, int W) Strides,
    (int H, int W) Dilations,
    string Padding,
    (int Top, int Bottom, int Left, int Right) Pads);
