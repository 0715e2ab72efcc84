using OnSram.Runtime;
using static OnSram.Runtime.Binding;

namespace OnSram.Workloads.Layers;

/// <summary>Keras <c>MaxPooling2D</c>: one <c>MaxPool</c> op (strides default to the pool size).</summary>
public sealed class MaxPooling2D : Pooling2D
{
    /// <summary>Creates the layer.</summary>
    /// <param name="pool_size">Window size (default 2).</param>
    /// <param name="strides">Strides (default: the pool size).</param>
    /// <param name="padding"><c>same</c> or <c>valid</c>.</param>
    /// <param name="name">Layer name.</param>
    public MaxPooling2D(Size2? pool_size = null, Size2? strides = null, string padding = "valid", string? name = null)
        : base(pool_size, strides, padding, name)
    {
    }

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) =>
        tf.nn.max_pool2d(input, PoolSize.ToNhwc(), Strides.ToNhwc(), PaddingAttr);
}
