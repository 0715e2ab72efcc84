using OnSram.Runtime;
using static OnSram.Runtime.Binding;

namespace OnSram.Workloads.Layers;

/// <summary>
/// Local response normalization across channels (<c>tf.nn.local_response_normalization</c>, one
/// <c>LRN</c> op), as AlexNet and GoogLeNet use it; Keras has no such layer, scripts wrap the op.
/// Caffe's <c>local_size</c> n and <c>alpha</c> map to <c>depth_radius</c> (n-1)/2 and alpha/n.
/// </summary>
public sealed class LocalResponseNormalization : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="depth_radius">Half-width of the channel window.</param>
    /// <param name="bias">Offset.</param>
    /// <param name="alpha">Scale of the squared sum.</param>
    /// <param name="beta">Exponent.</param>
    /// <param name="name">Layer name.</param>
    public LocalResponseNormalization(int depth_radius = 5, float bias = 1f, float alpha = 1f, float beta = 0.5f, string? name = null) : base(name)
    {
        if (depth_radius < 0)
        {
            throw new ArgumentException($"depth_radius must be non-negative, got {depth_radius}");
        }
        DepthRadius = depth_radius;
        BiasValue = bias;
        Alpha = alpha;
        Beta = beta;
    }

    /// <summary>Half-width of the channel window.</summary>
    public int DepthRadius { get; }

    /// <summary>Offset.</summary>
    public float BiasValue { get; }

    /// <summary>Scale of the squared sum.</summary>
    public float Alpha { get; }

    /// <summary>Exponent.</summary>
    public float Beta { get; }

    /// <inheritdoc />
    protected override void OnBuild(Shape inputShape, DType dtype) => ExpectRank(inputShape, 4);

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) => tf.nn.lrn(input, DepthRadius, BiasValue, Alpha, Beta);
}
