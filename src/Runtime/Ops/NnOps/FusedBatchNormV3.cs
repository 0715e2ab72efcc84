using System.Numerics.Tensors;
using OnSram.Accelerator;
using OnSram.Speculation.Events;

namespace OnSram.Runtime.Ops.NnOps;

/// <summary>
/// <c>FusedBatchNormV3</c>, inference only: y = scale * (x - mean) / sqrt(variance + epsilon) + offset per
/// channel. Inputs: x (4-D NHWC; float32, float16 or bfloat16), scale, offset, mean, variance (1-D with
/// one value per channel; float32 as TensorFlow requires, or x's own dtype). Attributes: <c>epsilon</c>
/// (default 0.0001 as TensorFlow), <c>data_format</c> (only NHWC; NCHW is rejected), <c>is_training</c>
/// (must be false; TensorFlow's default is true, so it must be given), <c>exponential_avg_factor</c>
/// (ignored: it only matters in training).
/// Produces ONE output, y. TensorFlow's op has six (y, batch_mean, batch_variance and three reserve
/// spaces); at inference those are copies of the inputs or scratch, and nothing in this runtime reads them.
/// The per-channel factors are folded first (inv = scale / sqrt(variance + epsilon),
/// shift = offset - mean * inv, in float64), then y = x * inv + shift.
/// FLOPs: 2 per element of x (the folded multiply-add). Unit: vector. InputReuse: 1.
/// </summary>
public sealed class FusedBatchNormV3 : IOpDefinition
{
    private static readonly string[] s_paramNames = ["scale", "offset", "mean", "variance"];

    /// <inheritdoc />
    public string OpType => "FusedBatchNormV3";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation)
    {
        invocation.ExpectInputs(5);
        invocation.ExpectDType(0, DType.Float32, DType.Float16, DType.BFloat16);
        if (invocation.Bool("is_training", true))
        {
            throw invocation.Error("training mode is not supported: only inference (is_training=false) is implemented; TensorFlow's default is true, so pass false", "is_training");
        }
        var format = invocation.String("data_format", "NHWC");
        if (format != "NHWC")
        {
            throw invocation.Error($"only NHWC is supported, got '{format}'", "data_format");
        }
        var epsilon = invocation.Float("epsilon", 0.0001);
        invocation.ExpectRank(0, 4, "x");
        var x = invocation.Inputs[0];
        var channels = x.Shape.dims[3];
        for (var i = 1; i <= 4; i++)
        {
            var p = invocation.Inputs[i];
            var name = s_paramNames[i - 1];
            if (p.DType != DType.Float32 && p.DType != x.DType)
            {
                throw invocation.Error($"{name} (input {i}) has dtype {p.DType.Name()}; expected float32 or x's dtype {x.DType.Name()}");
            }
            if (p.Shape.ndim != 1 || p.Shape.dims[0] != channels)
            {
                throw invocation.Error($"{name} (input {i}) must be 1-D with {channels} elements (the channels of x), got shape {p.Shape.ToCompactString()}");
            }
        }
        return new DelegatePlan([x], 2.0 * x.Shape.size, ComputeUnit.Vector, OpTraits.Elementwise,
            (inputs, outputs) => Run(inputs, outputs[0], (int)channels, epsilon));
    }

    private static void Run(Tensor[] inputs, Tensor output, int channels, double epsilon)
    {
        var scale = TensorData.ReadDoubles(inputs[1]);
        var offset = TensorData.ReadDoubles(inputs[2]);
        var mean = TensorData.ReadDoubles(inputs[3]);
        var variance = TensorData.ReadDoubles(inputs[4]);
        var inv = new float[channels];
        var shift = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            var f = scale[c] / Math.Sqrt(variance[c] + epsilon);
            inv[c] = (float)f;
            shift[c] = (float)(offset[c] - mean[c] * f);
        }
        var input = inputs[0];
        if (channels == 0 || input.size == 0)
        {
            return;
        }
        float[]? widened = input.dtype == DType.Float32 ? null : TensorData.ReadFloats(input);
        ReadOnlySpan<float> x = widened ?? (ReadOnlySpan<float>)input.Data<float>();
        Span<float> y = widened ?? output.Data<float>();
        for (var o = 0; o < x.Length; o += channels)
        {
            TensorPrimitives.MultiplyAdd(x.Slice(o, channels), inv, shift, y.Slice(o, channels));
        }
        if (widened is not null)
        {
            TensorData.WriteFloats(output, widened);
        }
    }
}
