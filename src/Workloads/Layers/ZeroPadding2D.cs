using OnSram.Runtime;
using static OnSram.Runtime.Binding;

namespace OnSram.Workloads.Layers;

/// <summary>Keras <c>ZeroPadding2D</c>: one <c>Pad</c> op on the spatial dimensions (NHWC).</summary>
public sealed class ZeroPadding2D : Layer
{
    /// <summary>Pads <paramref name="padding"/> rows and columns on every side.</summary>
    public ZeroPadding2D(int padding, string? name = null) : this((padding, padding), (padding, padding), name)
    {
    }

    /// <summary>Creates the layer.</summary>
    /// <param name="rows">(top, bottom) rows.</param>
    /// <param name="columns">(left, right) columns.</param>
    /// <param name="name">Layer name.</param>
    public ZeroPadding2D((int Top, int Bottom) rows, (int Left, int Right) columns, string? name = null) : base(name)
    {
        if (rows.Top < 0 || rows.Bottom < 0 || columns.Left < 0 || columns.Right < 0)
        {
            throw new ArgumentException("padding must be non-negative");
        }
        Rows = rows;
        Columns = columns;
    }

    /// <summary>(top, bottom) rows.</summary>
    public (int Top, int Bottom) Rows { get; }

    /// <summary>(left, right) columns.</summary>
    public (int Left, int Right) Columns { get; }

    /// <inheritdoc />
    protected override void OnBuild(Shape inputShape, DType dtype) => ExpectRank(inputShape, 4);

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) =>
        Emit.Scoped(() => tf.pad(input, new[,] { { 0, 0 }, { Rows.Top, Rows.Bottom }, { Columns.Left, Columns.Right }, { 0, 0 } }));
}
