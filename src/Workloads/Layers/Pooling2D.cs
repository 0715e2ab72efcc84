using OnSram.Runtime;

namespace OnSram.Workloads.Layers;

/// <summary>
/// What Keras's 2-D pooling layers share (as Keras's own <c>Pooling2D</c>): the window, strides that default
/// to the pool size, the padding, and a rank-4 NHWC input. Subclasses emit their one pooling op.
/// </summary>
public abstract class Pooling2D : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="pool_size">Window size (default 2).</param>
    /// <param name="strides">Strides (default: the pool size).</param>
    /// <param name="padding"><c>same</c> or <c>valid</c>.</param>
    /// <param name="name">Layer name.</param>
    protected Pooling2D(Size2? pool_size, Size2? strides, string padding, string? name) : base(name)
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
}
