namespace OnSram.Speculation.Events;

/// <summary>
/// What the simulator knows of one tensor buffer: its identity, its shape and how wide an element is.
/// Device bytes are decided by the accelerator (floating tensors take the device's element size).
/// </summary>
/// <param name="Id">Process-unique tensor id; a view shares the id of its base tensor.</param>
/// <param name="Shape">Dimensions, row-major. Callers never mutate the array.</param>
/// <param name="Elements">Product of <paramref name="Shape"/> (1 for a scalar).</param>
/// <param name="HostElementBytes">Size of one element of the tensor's dtype on the host.</param>
/// <param name="IsFloating">True for float16/bfloat16/float32/float64 tensors.</param>
public readonly record struct TensorInfo(long Id, long[] Shape, long Elements, int HostElementBytes, bool IsFloating)
{
    /// <summary>Host bytes of the tensor (elements times the host element size).</summary>
    public long HostBytes => Elements * HostElementBytes;

    /// <summary>Bytes on a device whose floating-point element is <paramref name="deviceFloatBytes"/> wide.</summary>
    public long DeviceBytes(int deviceFloatBytes) => Elements * (IsFloating ? deviceFloatBytes : HostElementBytes);
}
