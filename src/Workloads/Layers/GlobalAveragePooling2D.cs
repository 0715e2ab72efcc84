using OnSram.Runtime;
using static OnSram.Runtime.Binding;

namespace OnSram.Workloads.Layers;

/// <summary>Keras <c>GlobalAveragePooling2D</c>: one <c>Mean</c> over axes [1, 2] (NHWC).</summary>
public sealed class GlobalAveragePooling2D : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="keepdims">Keep the reduced axes as size 1 ([N, 1, 1, C] instead of [N, C]).</param>
    /// <param name="name">Layer name.</param>
    public GlobalAveragePooling2D(bool keepdims = false, string? name = null) : base(name) => KeepDims = keepdims;

    /// <summary>Whether reduced axes are kept.</summary>
    public bool KeepDims { get; }

    /// <inheritdoc />
    protected override void OnBuild(Shape inputShape, DType dtype) => ExpectRank(inputShape, 4);

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) => Emit.Scoped(() => tf.reduce_mean(input, new[] { 1, 2 }, KeepDims));
}
