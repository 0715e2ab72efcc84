namespace OnSram.Workloads.Layers;

/// <summary>
/// A height/width pair (kernel size, strides, dilation, pool size), as Keras accepts an int or a tuple:
/// <c>3</c> converts to (3, 3) and <c>(1, 7)</c> to (1, 7).
/// </summary>
/// <param name="H">Height.</param>
/// <param name="W">Width.</param>
public readonly record struct Size2(int H, int W)
{
    /// <summary>The same value for both dimensions.</summary>
    public static implicit operator Size2(int value) => new(value, value);

    /// <summary>(height, width).</summary>
    public static implicit operator Size2((int H, int W) value) => new(value.H, value.W);

    /// <summary>TensorFlow's 4-value NHWC form <c>[1, H, W, 1]</c>.</summary>
    public int[] ToNhwc() => new[] { 1, H, W, 1 };

    internal Size2 Validate(string what)
    {
        if (H <= 0 || W <= 0)
        {
            throw new ArgumentException($"{what} must be positive, got ({H}, {W})");
        }
        return this;
    }

    /// <summary>Formats as <c>(H, W)</c>.</summary>
    public override string ToString() => $"({H}, {W})";
}
