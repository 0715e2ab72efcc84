using OnSram.Runtime;
using static OnSram.Runtime.Binding;

namespace OnSram.Workloads.Layers;

/// <summary>Keras <c>Dropout</c> at inference: <c>Identity</c> (a view: no data moves, no event).</summary>
public sealed class Dropout : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="rate">Fraction dropped in training (recorded only; inference keeps everything).</param>
    /// <param name="name">Layer name.</param>
    public Dropout(double rate, string? name = null) : base(name)
    {
        if (rate is < 0 or >= 1)
        {
            throw new ArgumentException($"rate must be in [0, 1), got {rate}");
        }
        Rate = rate;
    }

    /// <summary>Training drop rate.</summary>
    public double Rate { get; }

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) => tf.identity(input);
}
