using OnSram.Runtime;

namespace OnSram.Workloads.Layers;

/// <summary>Keras <c>Activation</c> (and <c>ReLU</c>): one activation op (see <see cref="Activations"/>).</summary>
public sealed class Activation : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="activation">An activation name other than linear.</param>
    /// <param name="name">Layer name.</param>
    public Activation(string activation, string? name = null) : base(name)
    {
        Function = Activations.Validate(activation)
            ?? throw new ArgumentException("an Activation layer needs a non-linear activation");
    }

    /// <summary>The activation name.</summary>
    public string Function { get; }

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) => Activations.Apply(Function, input)!;
}
