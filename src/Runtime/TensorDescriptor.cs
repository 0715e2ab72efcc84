using OnSram.Speculation.Events;

namespace OnSram.Runtime;

/// <summary>Identity, shape and dtype of a tensor, as observers see it.</summary>
/// <param name="Id">Process-unique id; views share their base tensor's id.</param>
/// <param name="Shape">The shape.</param>
/// <param name="DType">The element type.</param>
public readonly record struct TensorDescriptor(long Id, Shape Shape, DType DType)
{
    /// <summary>Host bytes of the tensor.</summary>
    public long Bytes => Shape.size * DType.Size();

    /// <summary>The simulator's view of this tensor.</summary>
    public TensorInfo ToTensorInfo() => new(Id, Shape.ToArray(), Shape.size, DType.Size(), DType.IsFloating());
}
