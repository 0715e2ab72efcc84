using OnSram.Runtime;
using static OnSram.Runtime.Binding;

namespace OnSram.Workloads.Layers;

/// <summary>
/// SSD's L2 normalization with a learned per-channel scale (ssd_keras's <c>L2Normalization</c>):
/// <c>tf.math.l2_normalize</c> over the channels (Square, Sum, Maximum with 1e-12, Rsqrt, Mul) times
/// gamma (Mul): six ops, C parameters (gamma starts near 20, as in the reference).
/// </summary>
public sealed class L2Normalization : Layer
{
    private Tensor? _gamma;

    /// <summary>Creates the layer.</summary>
    /// <param name="gamma_init">Initial scale.</param>
    /// <param name="name">Layer name.</param>
    public L2Normalization(double gamma_init = 20, string? name = null) : base(name) => GammaInit = gamma_init;

    /// <summary>Initial scale.</summary>
    public double GammaInit { get; }

    /// <inheritdoc />
    protected override void OnBuild(Shape inputShape, DType dtype)
    {
        ExpectRank(inputShape, 4);
        _gamma = AddWeight("gamma", new Shape(inputShape[3]), dtype, Initializer.Normal(GammaInit, GammaInit * 0.01));
    }

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input)
    {
        var sumSq = tf.square(input).Then(sq => Emit.Scoped(() => tf.reduce_sum(sq, new[] { 3 }, keepdims: true)));
        var inv = sumSq.Then(s => Emit.WithScalar(s, 1e-12, eps => tf.maximum(s, eps))).Then(t => tf.rsqrt(t));
        var normalized = tf.multiply(input, inv);
        inv.Dispose();
        return normalized.Then(n => tf.multiply(n, _gamma!));
    }
}
