namespace OnSram.Runtime;

/// <summary>The CLR element type that stores each dtype.</summary>
internal static class ClrTypes
{
    public static Type Of(DType dtype) => dtype switch
    {
        DType.Float32 => typeof(float),
        DType.Float16 => typeof(Half),
        DType.BFloat16 => typeof(ushort),
        DType.Float64 => typeof(double),
        DType.Int8 => typeof(sbyte),
        DType.UInt8 => typeof(byte),
        DType.Int32 => typeof(int),
        DType.Int64 => typeof(long),
        DType.Bool => typeof(bool),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };
}
