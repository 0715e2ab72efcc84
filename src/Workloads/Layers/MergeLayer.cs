using OnSram.Runtime;

namespace OnSram.Workloads.Layers;

/// <summary>A layer that combines several tensors into one (Keras's merge layers).</summary>
public abstract class MergeLayer : Layer
{
    /// <summary>Creates a merge layer.</summary>
    protected MergeLayer(string? name) : base(name)
    {
    }

    /// <summary>Merges <paramref name="inputs"/> (at least two); the inputs are not released.</summary>
    public Tensor Call(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count < 2)
        {
            throw new ArgumentException($"layer '{Name}' ({GetType().Name}) merges at least 2 tensors, got {inputs.Count}");
        }
        Build(inputs[0].shape, inputs[0].dtype);
        return Merge(inputs);
    }

    /// <summary>Emits the merge op(s).</summary>
    protected abstract Tensor Merge(IReadOnlyList<Tensor> inputs);

    /// <inheritdoc />
    protected sealed override Tensor Forward(Tensor input) =>
        throw new InvalidOperationException($"layer '{Name}' ({GetType().Name}) merges several tensors; call Call(inputs)");
}
