using OnSram.Runtime;

namespace OnSram.Workloads.Layers;

/// <summary>Keras <c>Flatten</c>: one <c>Reshape</c> to [N, -1] (a view: no data moves, no event).</summary>
public sealed class Flatten : Layer
{
    /// <summary>Creates the layer.</summary>
    public Flatten(string? name = null) : base(name)
    {
    }

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) =>
        Emit.Reshape(input, input.shape[0], input.shape.size / Math.Max(1, input.shape[0]));
}
