namespace OnSram.Runtime;

/// <summary>Shape and dtype of a tensor, without data.</summary>
/// <param name="Shape">The shape.</param>
/// <param name="DType">The element type.</param>
public readonly record struct TensorSpec(Shape Shape, DType DType)
{
    /// <summary>Host bytes of a tensor of this spec.</summary>
    public long Bytes => Shape.size * DType.Size();

    /// <summary>Formats as <c>float32[1,224,224,3]</c>.</summary>
    public override string ToString() => DType.Name() + Shape.ToCompactString();
}
