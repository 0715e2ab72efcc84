using OnSram.Runtime;
using static OnSram.Runtime.Binding;

namespace OnSram.Workloads.Layers;

/// <summary>
/// Keras <c>LayerNormalization</c> over the last axis, as <c>tf.nn.moments</c> then
/// <c>tf.nn.batch_normalization</c> emit it: Mean, SquaredDifference, Mean (the moments, kept as
/// [..., 1]), then AddV2 (variance + epsilon), Rsqrt, Mul (by gamma), Mul (x * inv), Mul (mean * inv),
/// Sub (beta - mean * inv), AddV2: ten ops. (<c>tf.nn.moments</c> also emits a
/// StopGradient, which is an identity at inference and is left out.)
/// </summary>
public sealed class LayerNormalization : Layer
{
    private Tensor? _gamma;
    private Tensor? _beta;

    /// <summary>Creates the layer.</summary>
    /// <param name="epsilon">Added to the variance (Keras default 1e-3; BERT uses 1e-12).</param>
    /// <param name="name">Layer name.</param>
    public LayerNormalization(float epsilon = 1e-3f, string? name = null) : base(name)
    {
        if (!(epsilon > 0))
        {
            throw new ArgumentException($"epsilon must be positive, got {epsilon}");
        }
        Epsilon = epsilon;
    }

    /// <summary>Variance epsilon.</summary>
    public float Epsilon { get; }

    /// <inheritdoc />
    protected override void OnBuild(Shape inputShape, DType dtype)
    {
        if (inputShape.ndim < 1)
        {
            throw new ArgumentException($"layer '{Name}' (LayerNormalization) needs an input of rank 1 or more");
        }
        var c = new Shape(inputShape[-1]);
        _gamma = AddWeight("gamma", c, dtype, Initializer.Normal(1, 0.05));
        _beta = AddWeight("beta", c, dtype, Initializer.Normal(0, 0.05));
    }

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input)
    {
        var axis = new[] { input.ndim - 1 };
        var mean = Emit.Scoped(() => tf.reduce_mean(input, axis, keepdims: true));
        var variance = tf.squared_difference(input, mean).Then(sq => Emit.Scoped(() => tf.reduce_mean(sq, axis, keepdims: true)));
        var y = Emit.Scoped(() => tf.nn.batch_normalization(input, mean, variance, _beta, _gamma, Epsilon));
        mean.Dispose();
        variance.Dispose();
        return y;
    }
}
