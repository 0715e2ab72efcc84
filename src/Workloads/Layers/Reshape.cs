using OnSram.Runtime;

namespace OnSram.Workloads.Layers;

/// <summary>
/// Keras <c>Reshape</c>: one <c>Reshape</c> to [N, target...] (a view). Keras reads the batch size with
/// a Shape op at run time; here it comes from the static shape, as Keras's eager <c>Flatten</c> does.
/// </summary>
public sealed class Reshape : Layer
{
    private readonly long[] _target;

    /// <summary>Creates the layer.</summary>
    /// <param name="target_shape">Dimensions after the batch dimension (one may be -1).</param>
    /// <param name="name">Layer name.</param>
    public Reshape(long[] target_shape, string? name = null) : base(name)
    {
        ArgumentNullException.ThrowIfNull(target_shape);
        if (target_shape.Count(d => d == -1) > 1 || target_shape.Any(d => d < -1 || d == 0))
        {
            throw new ArgumentException($"target_shape [{string.Join(", ", target_shape)}] must hold positive sizes and at most one -1");
        }
        _target = (long[])target_shape.Clone();
    }

    /// <summary>Dimensions after the batch dimension.</summary>
    public IReadOnlyList<long> TargetShape => _target;

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) => Emit.Reshape(input, [input.shape[0], .. _target]);
}
