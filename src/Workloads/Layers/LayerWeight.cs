using OnSram.Runtime;

namespace OnSram.Workloads.Layers;

/// <summary>A weight of a layer: created once per model instance and reused by every call.</summary>
/// <param name="Layer">Owning layer's name.</param>
/// <param name="Name">Weight name (<c>kernel</c>, <c>bias</c>, <c>moving_mean</c>, ...).</param>
/// <param name="Tensor">The tensor (an external tensor for the simulator).</param>
/// <param name="Trainable">False for statistics (Keras's non-trainable weights, e.g. moving mean).</param>
/// <param name="Seed">The seed the weight was drawn with.</param>
public sealed record LayerWeight(string Layer, string Name, Tensor Tensor, bool Trainable, int Seed)
{
    /// <summary>Number of scalars.</summary>
    public long Size => Tensor.size;
}
