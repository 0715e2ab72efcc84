using OnSram.Runtime;
using static OnSram.Runtime.Binding;

namespace OnSram.Workloads.Layers;

/// <summary>
/// A <see cref="Conv2D"/> followed by a <see cref="BatchNormalization"/> (and optionally an activation)
/// executed as one <c>_FusedConv2D</c> with <c>fused_ops</c> [FusedBatchNorm(, Relu|Relu6|Elu)],
/// <c>num_args</c> 4 (scale, offset, mean, variance) and the BN's <c>epsilon</c>, as TensorFlow's
/// remapper fuses Conv2D+FusedBatchNorm(+activation) at inference. The two layers keep their own
/// weights, so the parameter count equals the unfused pair's. A convolution bias b is folded into the
/// mean fed to the op (mean - b, computed once on the host when the layer is built), which gives the
/// same result as Conv2D, BiasAdd, FusedBatchNormV3.
/// </summary>
public sealed class FusedConv2DBatchNorm : Layer
{
    private Tensor? _mean;

    /// <summary>Creates the layer from an unbuilt convolution (without activation) and batch norm.</summary>
    /// <param name="conv">The convolution; its own activation must be linear.</param>
    /// <param name="norm">The batch normalization.</param>
    /// <param name="activation">Activation after the normalization, or null.</param>
    /// <param name="name">Layer name.</param>
    public FusedConv2DBatchNorm(Conv2D conv, BatchNormalization norm, string? activation = null, string? name = null) : base(name)
    {
        ArgumentNullException.ThrowIfNull(conv);
        ArgumentNullException.ThrowIfNull(norm);
        if (conv.ActivationName is not null)
        {
            throw new ArgumentException($"layer '{conv.Name}' has activation '{conv.ActivationName}' before the batch norm; it cannot be fused with it");
        }
        Conv = Track(conv);
        Norm = Track(norm);
        ActivationName = Activations.Validate(activation);
    }

    /// <summary>The convolution.</summary>
    public Conv2D Conv { get; }

    /// <summary>The batch normalization.</summary>
    public BatchNormalization Norm { get; }

    /// <summary>Activation after the normalization (null when linear).</summary>
    public string? ActivationName { get; }

    /// <inheritdoc />
    protected override void OnBuild(Shape inputShape, DType dtype)
    {
        Conv.Build(inputShape, dtype);
        Norm.Build(new Shape(1, 1, 1, Conv.Filters), dtype);
        _mean = Conv.Bias is null ? Norm.MovingMean : AddConstant(FoldBias(Norm.MovingMean, Conv.Bias));
    }

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input)
    {
        var fusedAct = Activations.FusedOpName(ActivationName);
        var ops = fusedAct is null ? new[] { "FusedBatchNorm" } : new[] { "FusedBatchNorm", fusedAct };
        var attrs = Conv.ConvAttrs().With("fused_ops", ops).With("num_args", 4).With("epsilon", Norm.Epsilon);
        var y = Emit.Execute("_FusedConv2D",
            new[] { input, Conv.Kernel, Norm.ScaleTensor, Norm.OffsetTensor, _mean!, Norm.MovingVariance }, attrs);
        return fusedAct is null ? Activations.ApplyAndRelease(ActivationName, y) : y;
    }

    /// <summary>mean - bias, computed on the host (no op is emitted); shapes only in meta mode.</summary>
    private static Tensor FoldBias(Tensor mean, Tensor bias)
    {
        if (!mean.HasData)
        {
            return tf.zeros(mean.shape, mean.dtype);
        }
        var m = mean.ToDoubleArray();
        var b = bias.ToDoubleArray();
        var folded = new double[m.Length];
        for (var i = 0; i < m.Length; i++)
        {
            folded[i] = m[i] - b[i];
        }
        return tf.constant(folded, mean.shape, mean.dtype);
    }
}
