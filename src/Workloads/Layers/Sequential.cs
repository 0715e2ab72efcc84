using OnSram.Runtime;

namespace OnSram.Workloads.Layers;

/// <summary>
/// Keras <c>Sequential</c>: calls its layers in order; each intermediate is released as soon as the
/// next layer has consumed it (its last use), the input is not released.
/// </summary>
public sealed class Sequential : Layer
{
    private readonly Layer[] _layers;

    /// <summary>Creates a stack of layers.</summary>
    public Sequential(params Layer[] layers) : this(layers, null)
    {
    }

    /// <summary>Creates a named stack of layers.</summary>
    /// <param name="layers">At least one layer.</param>
    /// <param name="name">Layer name.</param>
    public Sequential(IEnumerable<Layer> layers, string? name) : base(name)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = layers.ToArray();
        if (_layers.Length == 0)
        {
            throw new ArgumentException("a Sequential needs at least one layer");
        }
        foreach (var l in _layers)
        {
            if (l is MergeLayer)
            {
                throw new ArgumentException($"merge layer '{l.Name}' cannot be a step of a Sequential; use Branches");
            }
            Track(l);
        }
    }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input)
    {
        var x = _layers[0].Call(input);
        for (var i = 1; i < _layers.Length; i++)
        {
            x = _layers[i].CallAndRelease(x);
        }
        return x;
    }

    /// <inheritdoc />
    protected override Tensor ForwardAndRelease(Tensor input)
    {
        var x = input;
        foreach (var l in _layers)
        {
            x = l.CallAndRelease(x);
        }
        return x;
    }
}
