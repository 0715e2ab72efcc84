using System.Numerics.Tensors;
using OnSram.Runtime.Kernels;

namespace OnSram.Runtime.Ops.NnOps;

/// <summary>
/// <c>AvgPool</c>: mean over each window, dividing by the number of non-padded elements in it (as
/// TensorFlow's SAME padding does). Attributes, dtypes, FLOPs and traits: see <see cref="PoolPlanning"/>.
/// Unit: Vector.
/// </summary>
public sealed class AvgPool : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "AvgPool";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation)
    {
        var (g, output, flops) = PoolPlanning.Plan(invocation);
        return PoolPlanning.CreatePlan(g, output, flops, Row);
    }

    private static unsafe void Row(ConvGeometry g, nint input, nint output, int row)
    {
        var c = g.InC;
        var n = row / g.OutH;
        var oh = row - n * g.OutH;
        var image = (float*)input + (long)n * g.InH * g.InW * c;
        var h0 = Math.Max(0, oh * g.StrideH - g.PadTop);
        var h1 = Math.Min(g.InH, oh * g.StrideH - g.PadTop + g.KernelH);
        for (var ow = 0; ow < g.OutW; ow++)
        {
            var dst = new Span<float>((float*)output + ((long)row * g.OutW + ow) * c, c);
            var w0 = Math.Max(0, ow * g.StrideW - g.PadLeft);
            var w1 = Math.Min(g.InW, ow * g.StrideW - g.PadLeft + g.KernelW);
            for (var ih = h0; ih < h1; ih++)
            {
                for (var iw = w0; iw < w1; iw++)
                {
                    TensorPrimitives.Add(dst, new ReadOnlySpan<float>(image + ((long)ih * g.InW + iw) * c, c), dst);
                }
            }
            var count = Math.Max(0, h1 - h0) * Math.Max(0, w1 - w0);
            if (count > 0)
            {
                TensorPrimitives.Divide(dst, (float)count, dst);
            }
        }
    }
}
