using System.Runtime.InteropServices;

namespace OnSram.Runtime;

/// <summary>A host copy of a tensor's data, as returned by <see cref="Tensor.numpy"/>.</summary>
public sealed class NDArray
{
    private readonly byte[] _data;

    internal NDArray(Shape shape, DType dtype, byte[] data)
    {
        this.shape = shape;
        this.dtype = dtype;
        _data = data;
    }

    /// <summary>The shape.</summary>
    public Shape shape { get; }

    /// <summary>The element type.</summary>
    public DType dtype { get; }

    /// <summary>The data as <typeparamref name="T"/> (the dtype's CLR type).</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        if (ClrTypes.Of(dtype) != typeof(T))
        {
            throw new InvalidOperationException($"array has dtype {dtype.Name()}; ToArray<{typeof(T).Name}> needs {ClrTypes.Of(dtype).Name}");
        }
        return MemoryMarshal.Cast<byte, T>(_data).ToArray();
    }

    /// <summary>The element at a row-major multi-index, converted to double.</summary>
    public double this[params long[] index]
    {
        get
        {
            if (index.Length != shape.ndim)
            {
                throw new ArgumentException($"index of rank {index.Length} for shape {shape}");
            }
            long flat = 0;
            var strides = shape.Strides();
            for (var i = 0; i < index.Length; i++)
            {
                if (index[i] < 0 || index[i] >= shape[i])
                {
                    throw new IndexOutOfRangeException($"index {index[i]} out of range for axis {i} of shape {shape}");
                }
                flat += index[i] * strides[i];
            }
            return TensorData.ElementAsDouble(_data, dtype, flat);
        }
    }
}
