using System.Runtime.InteropServices;

namespace OnSram.Runtime;

/// <summary>
/// An eager tensor: shape, dtype, a process-unique id and contiguous row-major storage (none in meta
/// mode). <see cref="Dispose"/> releases this handle; the release reaches observers when the last
/// handle of the id (a view shares its base's id) is gone.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    private readonly byte[]? _buffer;

    internal Tensor(EagerContext context, long id, Shape shape, DType dtype, byte[]? buffer)
    {
        Context = context;
        Id = id;
        this.shape = shape;
        this.dtype = dtype;
        _buffer = buffer;
    }

    /// <summary>The context that created the tensor.</summary>
    public EagerContext Context { get; }

    /// <summary>Process-unique id (a view has its base tensor's id).</summary>
    public long Id { get; }

    /// <summary>The shape.</summary>
    public Shape shape { get; }

    /// <summary>The element type.</summary>
    public DType dtype { get; }

    /// <summary>Number of dimensions.</summary>
    public int ndim => shape.ndim;

    /// <summary>Number of elements.</summary>
    public long size => shape.size;

    /// <summary>Host bytes.</summary>
    public long Bytes => shape.size * dtype.Size();

    /// <summary>True when the tensor has storage (false in meta mode).</summary>
    public bool HasData => _buffer is not null;

    private int _disposed;

    /// <summary>True once this handle was disposed.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Shape and dtype.</summary>
    public TensorSpec Spec => new(shape, dtype);

    /// <summary>Descriptor as observers see it.</summary>
    public TensorDescriptor Descriptor => new(Id, shape, dtype);

    internal byte[] Buffer => _buffer ?? throw new InvalidOperationException(
        $"tensor {Id} {Spec} has no data (it was created in meta mode)");

    internal byte[]? RawBuffer => _buffer;

    /// <summary>The storage as a span of <typeparamref name="T"/>; T must match the dtype's width.</summary>
    internal Span<T> Data<T>() where T : unmanaged => MemoryMarshal.Cast<byte, T>(Buffer.AsSpan());

    /// <summary>A copy of the data as <typeparamref name="T"/>, which must be the dtype's CLR type
    /// (float, Half, double, sbyte, byte, int, long, bool; ushort for bfloat16).</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        ThrowIfDisposed();
        if (ClrTypes.Of(dtype) != typeof(T))
        {
            throw new InvalidOperationException($"tensor {Id} has dtype {dtype.Name()}; ToArray<{typeof(T).Name}> needs {ClrTypes.Of(dtype).Name}");
        }
        return Data<T>().ToArray();
    }

    /// <summary>The data converted to float32, whatever the dtype.</summary>
    public float[] ToFloatArray()
    {
        ThrowIfDisposed();
        return TensorData.ReadFloats(this);
    }

    /// <summary>The data converted to float64, whatever the dtype.</summary>
    public double[] ToDoubleArray()
    {
        ThrowIfDisposed();
        return TensorData.ReadDoubles(this);
    }

    /// <summary>A host copy of the data, as TensorFlow.NET's <c>numpy()</c>.</summary>
    public NDArray numpy()
    {
        ThrowIfDisposed();
        return new NDArray(shape, dtype, (byte[])Buffer.Clone());
    }

    /// <summary>Releases this handle (idempotent, also when called from several threads at once).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        Context.ReleaseHandle(this);
    }

    /// <summary>Formats as <c>tf.Tensor(id=7, shape=(1, 10), dtype=float32)</c>.</summary>
    public override string ToString() => $"tf.Tensor(id={Id}, shape={shape}, dtype={dtype.Name()})";

    internal void ThrowIfDisposed()
    {
        if (IsDisposed)
        {
            throw new ObjectDisposedException($"tensor {Id} {Spec}", "the tensor was disposed");
        }
    }
}
