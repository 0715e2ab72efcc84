using OnSram.Runtime;
using static OnSram.Runtime.Binding;

namespace OnSram.Workloads.Layers;

/// <summary>Keras <c>MaxPooling2D</c>: one <c>MaxPool</c> op (strides default to the pool size).</summary>
public sealed class MaxPooling2D : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="pool_size">Window size (default 2).</param>
    /// <param name="strides">Strides (default: the pool size).</param>
    /// <param name="padding"><c>same</c> or <c>valid</c>.</param>
    /// <param name="name">Layer name.</param>
    public MaxPooling2D(Size2? pool_size = null, Size2? strides = null, string padding = "valid", string? name = null) : base(name)
    {
        PoolSize = (pool_size ?? 2).Validate("pool_size");
        Strides = (strides ?? PoolSize).Validate("strides");
        PaddingAttr = Padding.ToAttr(padding);
    }

    /// <summary>Window size.</summary>
    public Size2 PoolSize { get; }

    /// <summary>Strides.</summary>
    public Size2 Strides { get; }

    /// <summary>TensorFlow padding attribute.</summary>
    public string PaddingAttr { get; }

    /// <inheritdoc />
    protected override void OnBuild(Shape inputShape, DType dtype) => ExpectRank(inputShape, 4);

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) =>
        tf.nn.max_pool2d(input, PoolSize.ToNhwc(), Strides.ToNhwc(), PaddingAttr);
}
