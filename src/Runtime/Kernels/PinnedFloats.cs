using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OnSram.Runtime.Kernels;

/// <summary>
/// A tensor's data as a pinned float32 pointer for the duration of a kernel: float32 tensors are pinned
/// in place; float16/bfloat16 (and other) tensors are converted into a pinned float32 copy, and outputs
/// are converted back (rounded once) by <see cref="Commit"/>.
/// </summary>
internal sealed unsafe class PinnedFloats : IDisposable
{
    private readonly Tensor _tensor;
    private readonly float[]? _copy;
    private GCHandle _handle;

    private PinnedFloats(Tensor tensor, bool read)
    {
        _tensor = tensor;
        if (tensor.dtype == DType.Float32)
        {
            _handle = GCHandle.Alloc(tensor.Buffer, GCHandleType.Pinned);
            Pointer = (float*)_handle.AddrOfPinnedObject();
        }
        else
        {
            // Pinned-object-heap array: stays put without a handle.
            _copy = GC.AllocateUninitializedArray<float>(checked((int)tensor.size), pinned: true);
            if (read)
            {
                TensorData.ReadFloats(tensor, _copy);
            }
            else
            {
                Array.Clear(_copy);
            }
            Pointer = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_copy));
        }
        Length = (int)tensor.size;
    }

    /// <summary>The float32 data.</summary>
    public float* Pointer { get; }

    /// <summary>The float32 data's address (for capture by parallel workers).</summary>
    public nint Address => (nint)Pointer;

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>The float32 data as a span.</summary>
    public Span<float> Span => new(Pointer, Length);

    /// <summary>Pins (or converts) an input tensor.</summary>
    public static PinnedFloats Read(Tensor tensor) => new(tensor, read: true);

    /// <summary>Pins an output tensor, or a zeroed float32 staging copy when it is not float32.</summary>
    public static PinnedFloats Write(Tensor tensor) => new(tensor, read: false);

    /// <summary>Writes a staging copy back into the output tensor (no-op for float32).</summary>
    public void Commit()
    {
        if (_copy is not null)
        {
            TensorData.WriteFloats(_tensor, _copy);
        }
    }

    /// <summary>Unpins.</summary>
    public void Dispose()
    {
        if (_handle.IsAllocated)
        {
            _handle.Free();
        }
    }
}
