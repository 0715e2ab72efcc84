using System.Numerics.Tensors;
using OnSram.Accelerator;
using OnSram.Runtime.Kernels;

namespace OnSram.Runtime.Ops.NnOps;

/// <summary>
/// <c>DepthwiseConv2dNative</c>: NHWC input [N, H, W, C], filter [Kh, Kw, C, multiplier], output
/// [N, Ho, Wo, C·multiplier] with channel c·multiplier + q = Σ input[c] · filter[kh, kw, c, q].
/// Attributes as <see cref="Conv2D"/>: <c>strides</c>, <c>padding</c> (SAME, VALID, EXPLICIT with
/// <c>explicit_paddings</c>), <c>dilations</c>, <c>data_format</c> (NHWC only). Dtypes float32, float16,
/// bfloat16. Direct kernel vectorized over channels, parallel over output rows when large.
/// Unit: Matrix. FLOPs 2·N·Ho·Wo·C·multiplier·Kh·Kw. InputReuse Kh·Kw·multiplier.
/// </summary>
public sealed class DepthwiseConv2dNative : IOpDefinition
{
    private const long ParallelMacs = 1L << 18;

    /// <inheritdoc />
    public string OpType => "DepthwiseConv2dNative";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation)
    {
        invocation.ExpectInputs(2);
        var (dtype, strides, dilations, padding, pads) = WindowAttributes.Convolution(invocation);
        var input = invocation.Inputs[0].Shape;
        var filter = invocation.Inputs[1].Shape;
        if (filter[0] < 1 || filter[1] < 1 || filter.size > int.MaxValue)
        {
            throw invocation.Error($"filter {filter.ToCompactString()} must have positive height and width");
        }
        if (input[3] != filter[2])
        {
            throw invocation.Error($"input and filter must have the same depth: input {input.ToCompactString()} has depth {input[3]}, filter {filter.ToCompactString()} has in-depth {filter[2]}");
        }
        var g = WindowAttributes.Compute(invocation, input, (int)filter[0], (int)filter[1], strides, dilations, padding, pads);
        var multiplier = (int)filter[3];
        var outShape = new Shape(g.Batch, g.OutH, g.OutW, (long)g.InC * multiplier);
        var flops = 2.0 * g.OutputPixels * g.InC * multiplier * g.KernelH * g.KernelW;
        return new DepthwisePlan(new TensorSpec(outShape, dtype), flops, g, multiplier);
    }

    private sealed unsafe class DepthwisePlan(TensorSpec output, double flops, ConvGeometry g, int multiplier)
        : OpPlan(new[] { output }, flops, ComputeUnit.Matrix, g.Traits((double)g.KernelH * g.KernelW * multiplier))
    {
        public override void Execute(Tensor[] inputs, Tensor[] outputs)
        {
            using var x = PinnedFloats.Read(inputs[0]);
            using var f = PinnedFloats.Read(inputs[1]);
            using var y = PinnedFloats.Write(outputs[0]);
            var rows = g.Batch * g.OutH;
            var job = new Job(g, multiplier, (nint)x.Pointer, (nint)f.Pointer, (nint)y.Pointer);
            if (Flops / 2 >= ParallelMacs && rows > 1 && Environment.ProcessorCount > 1)
            {
                Parallel.For(0, rows, job.Row);
            }
            else
            {
                for (var r = 0; r < rows; r++)
                {
                    job.Row(r);
                }
            }
            y.Commit();
        }
    }

    private sealed unsafe class Job(ConvGeometry g, int multiplier, nint input, nint filter, nint output)
    {
        /// <summary>Computes output row (n, oh) for every ow and channel.</summary>
        public void Row(int row)
        {
            var c = g.InC;
            var width = c * multiplier;
            var n = row / g.OutH;
            var oh = row - n * g.OutH;
            var image = (float*)input + (long)n * g.InH * g.InW * c;
            var f = (float*)filter;
            var expanded = multiplier == 1 ? null : new float[width];
            for (var ow = 0; ow < g.OutW; ow++)
            {
                var acc = new Span<float>((float*)output + ((long)row * g.OutW + ow) * width, width);
                var ih0 = oh * g.StrideH - g.PadTop;
                var iw0 = ow * g.StrideW - g.PadLeft;
                for (var kh = 0; kh < g.KernelH; kh++)
                {
                    var ih = ih0 + kh * g.DilationH;
                    if ((uint)ih >= (uint)g.InH)
                    {
                        continue;
                    }
                    for (var kw = 0; kw < g.KernelW; kw++)
                    {
                        var iw = iw0 + kw * g.DilationW;
                        if ((uint)iw >= (uint)g.InW)
                        {
                            continue;
                        }
                        var src = new ReadOnlySpan<float>(image + ((long)ih * g.InW + iw) * c, c);
                        var w = new ReadOnlySpan<float>(f + (long)(kh * g.KernelW + kw) * width, width);
                        if (expanded is null)
                        {
                            TensorPrimitives.MultiplyAdd(src, w, acc, acc);
                        }
                        else
                        {
                            for (var ch = 0; ch < c; ch++)
                            {
                                expanded.AsSpan(ch * multiplier, multiplier).Fill(src[ch]);
                            }
                            TensorPrimitives.MultiplyAdd(expanded, w, acc, acc);
                        }
                    }
                }
            }
        }
    }
}
