using System.Text;

namespace OnSram.Runtime;

/// <summary>An immutable tensor shape (row-major dimensions), as TensorFlow.NET's <c>Shape</c>.</summary>
public sealed class Shape : IEquatable<Shape>
{
    private readonly long[] _dims;

    /// <summary>Creates a shape; every dimension must be non-negative.</summary>
    public Shape(params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        foreach (var d in dims)
        {
            if (d < 0)
            {
                throw new ArgumentException($"shape {Format(dims)} has a negative dimension", nameof(dims));
            }
        }
        _dims = (long[])dims.Clone();
        long size = 1;
        foreach (var d in _dims)
        {
            size = checked(size * d);
        }
        size_ = size;
    }

    /// <summary>Creates a shape from 32-bit dimensions.</summary>
    public Shape(params int[] dims) : this(Array.ConvertAll(dims ?? throw new ArgumentNullException(nameof(dims)), d => (long)d))
    {
    }

    private readonly long size_;

    /// <summary>The scalar shape <c>()</c>.</summary>
    public static Shape Scalar { get; } = new(Array.Empty<long>());

    /// <summary>Number of dimensions.</summary>
    public int ndim => _dims.Length;

    /// <summary>Number of elements (1 for a scalar).</summary>
    public long size => size_;

    /// <summary>The dimensions (a read-only view).</summary>
    public ReadOnlySpan<long> dims => _dims;

    /// <summary>A copy of the dimensions.</summary>
    public long[] ToArray() => (long[])_dims.Clone();

    /// <summary>Dimension <paramref name="axis"/>; negative axes count from the end.</summary>
    public long this[int axis]
    {
        get
        {
            var a = axis < 0 ? axis + _dims.Length : axis;
            if ((uint)a >= (uint)_dims.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(axis), $"axis {axis} is out of range for shape {this}");
            }
            return _dims[a];
        }
    }

    /// <summary>Converts 32-bit dimensions to a shape.</summary>
    public static implicit operator Shape(int[] dims) => new(dims);

    /// <summary>Converts 64-bit dimensions to a shape.</summary>
    public static implicit operator Shape(long[] dims) => new(dims);

    /// <summary>Row-major strides, in elements.</summary>
    public long[] Strides()
    {
        var s = new long[_dims.Length];
        long acc = 1;
        for (var i = _dims.Length - 1; i >= 0; i--)
        {
            s[i] = acc;
            acc *= _dims[i];
        }
        return s;
    }

    /// <inheritdoc />
    public bool Equals(Shape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Shape s && Equals(s);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var d in _dims)
        {
            h.Add(d);
        }
        return h.ToHashCode();
    }

    /// <summary>Equality of shapes.</summary>
    public static bool operator ==(Shape? a, Shape? b) => a is null ? b is null : a.Equals(b);

    /// <summary>Inequality of shapes.</summary>
    public static bool operator !=(Shape? a, Shape? b) => !(a == b);

    /// <summary>Formats as TensorFlow prints shapes: <c>(1, 224, 224, 3)</c>.</summary>
    public override string ToString()
    {
        if (_dims.Length == 1)
        {
            return $"({_dims[0]},)";
        }
        return "(" + string.Join(", ", _dims) + ")";
    }

    /// <summary>Compact form used in messages and signatures: <c>[1,224,224,3]</c>.</summary>
    public string ToCompactString() => Format(_dims);

    internal static string Format(ReadOnlySpan<long> dims)
    {
        var sb = new StringBuilder("[");
        for (var i = 0; i < dims.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }
            sb.Append(dims[i]);
        }
        return sb.Append(']').ToString();
    }
}
