using OnSram.Runtime;
using static OnSram.Runtime.Binding;

namespace OnSram.Workloads.Layers;

/// <summary>Keras <c>Concatenate</c>: one <c>ConcatV2</c> along <c>axis</c> (default -1, the channels).</summary>
public sealed class Concatenate : MergeLayer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="axis">Concatenation axis (negative counts from the end).</param>
    /// <param name="name">Layer name.</param>
    public Concatenate(int axis = -1, string? name = null) : base(name) => Axis = axis;

    /// <summary>Concatenation axis.</summary>
    public int Axis { get; }

    /// <inheritdoc />
    protected override Tensor Merge(IReadOnlyList<Tensor> inputs) => Emit.Scoped(() => tf.concat(inputs.ToArray(), Axis));
}
