using OnSram.Accelerator;
using OnSram.Speculation.Events;

namespace OnSram.Runtime.Ops.NnOps;

/// <summary>
/// <c>LRN</c>: local response normalization across channels of a 4-D NHWC input, as TensorFlow:
/// sqr_sum[..., d] = sum of input[..., c]^2 for c in [d - depth_radius, d + depth_radius] (clipped to the
/// channels), output = input / (bias + alpha * sqr_sum)^beta. Attributes (TensorFlow's defaults):
/// <c>depth_radius</c> = 5 (must be &gt;= 0), <c>bias</c> = 1, <c>alpha</c> = 1, <c>beta</c> = 0.5.
/// Dtypes: float32, float16, bfloat16 (TensorFlow's set; window sums accumulate in float64).
/// FLOPs: w + 4 per element with w = min(2 * depth_radius + 1, channels): one square, w - 1 window
/// additions, the alpha product, the bias sum, the power and the division. Unit: vector. InputReuse: 1.
/// </summary>
public sealed class LRN : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "LRN";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation)
    {
        invocation.ExpectInputs(1);
        invocation.ExpectDType(0, DType.Float32, DType.Float16, DType.BFloat16);
        invocation.ExpectRank(0, 4, "input");
        var radius = invocation.Int("depth_radius", 5);
        if (radius < 0 || radius > int.MaxValue / 2)
        {
            throw invocation.Error($"must be between 0 and {int.MaxValue / 2}, got {radius}", "depth_radius");
        }
        var bias = invocation.Float("bias", 1.0);
        var alpha = invocation.Float("alpha", 1.0);
        var beta = invocation.Float("beta", 0.5);
        var x = invocation.Inputs[0];
        var channels = (int)x.Shape.dims[3];
        var window = Math.Min(2 * radius + 1, channels);
        return new DelegatePlan([x], (window + 4.0) * x.Shape.size, ComputeUnit.Vector, OpTraits.Elementwise,
            (inputs, outputs) => Run(inputs[0], outputs[0], channels, (int)radius, bias, alpha, beta));
    }

    private static void Run(Tensor input, Tensor output, int channels, int radius, double bias, double alpha, double beta)
    {
        if (channels == 0 || input.size == 0)
        {
            return;
        }
        float[]? widened = input.dtype == DType.Float32 ? null : TensorData.ReadFloats(input);
        ReadOnlySpan<float> x = widened ?? (ReadOnlySpan<float>)input.Data<float>();
        Span<float> y = widened ?? output.Data<float>();
        var prefix = new double[channels + 1];
        for (var o = 0; o < x.Length; o += channels)
        {
            var row = x.Slice(o, channels);
            var dst = y.Slice(o, channels);
            for (var c = 0; c < channels; c++)
            {
                double v = row[c];
                prefix[c + 1] = prefix[c] + v * v;
            }
            for (var c = 0; c < channels; c++)
            {
                var lo = Math.Max(c - radius, 0);
                var hi = Math.Min(c + radius, channels - 1);
                var sqrSum = prefix[hi + 1] - prefix[lo];
                dst[c] = (float)(row[c] / Math.Pow(bias + alpha * sqrSum, beta));
            }
        }
        if (widened is not null)
        {
            TensorData.WriteFloats(output, widened);
        }
    }
}
