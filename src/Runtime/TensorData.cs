using System.Runtime.InteropServices;

namespace OnSram.Runtime;

/// <summary>
/// Conversions between tensor storage and float32/float64 compute buffers. Kernels compute float16
/// and bfloat16 in float32 and round the result, as TensorFlow's CPU kernels do for half types.
/// </summary>
internal static class TensorData
{
    /// <summary>bfloat16 bits to float32.</summary>
    public static float BFloat16ToSingle(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    /// <summary>float32 to bfloat16 bits, rounding to nearest even.</summary>
    public static ushort SingleToBFloat16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return (ushort)((bits >> 16) | 0x0040);
        }
        var rounding = 0x7FFFu + ((bits >> 16) & 1u);
        return (ushort)((bits + rounding) >> 16);
    }

    /// <summary>The data of <paramref name="t"/> as float32 (a copy).</summary>
    public static float[] ReadFloats(Tensor t)
    {
        var r = new float[t.size];
        ReadFloats(t, r);
        return r;
    }

    /// <summary>Converts the data of <paramref name="t"/> into <paramref name="dst"/>.</summary>
    public static void ReadFloats(Tensor t, Span<float> dst)
    {
        var b = t.Buffer.AsSpan();
        switch (t.dtype)
        {
            case DType.Float32: MemoryMarshal.Cast<byte, float>(b).CopyTo(dst); break;
            case DType.Float16:
                {
                    var s = MemoryMarshal.Cast<byte, Half>(b);
                    for (var i = 0; i < s.Length; i++) { dst[i] = (float)s[i]; }
                    break;
                }
            case DType.BFloat16:
                {
                    var s = MemoryMarshal.Cast<byte, ushort>(b);
                    for (var i = 0; i < s.Length; i++) { dst[i] = BFloat16ToSingle(s[i]); }
                    break;
                }
            default:
                {
                    for (var i = 0; i < dst.Length; i++) { dst[i] = (float)ElementAsDouble(t.Buffer, t.dtype, i); }
                    break;
                }
        }
    }

    /// <summary>The data of <paramref name="t"/> as float64 (a copy).</summary>
    public static double[] ReadDoubles(Tensor t)
    {
        var r = new double[t.size];
        var buf = t.Buffer;
        if (t.dtype == DType.Float64)
        {
            MemoryMarshal.Cast<byte, double>(buf.AsSpan()).CopyTo(r);
            return r;
        }
        for (var i = 0; i < r.Length; i++)
        {
            r[i] = ElementAsDouble(buf, t.dtype, i);
        }
        return r;
    }

    /// <summary>Writes float32 values into <paramref name="t"/>, converting to its dtype.</summary>
    public static void WriteFloats(Tensor t, ReadOnlySpan<float> src)
    {
        var b = t.Buffer.AsSpan();
        switch (t.dtype)
        {
            case DType.Float32: src.CopyTo(MemoryMarshal.Cast<byte, float>(b)); break;
            case DType.Float16:
                {
                    var d = MemoryMarshal.Cast<byte, Half>(b);
                    for (var i = 0; i < src.Length; i++) { d[i] = (Half)src[i]; }
                    break;
                }
            case DType.BFloat16:
                {
                    var d = MemoryMarshal.Cast<byte, ushort>(b);
                    for (var i = 0; i < src.Length; i++) { d[i] = SingleToBFloat16(src[i]); }
                    break;
                }
            default:
                {
                    for (var i = 0; i < src.Length; i++) { SetElementFromDouble(t.Buffer, t.dtype, i, src[i]); }
                    break;
                }
        }
    }

    /// <summary>Writes float64 values into <paramref name="t"/>, converting to its dtype (integers truncate
    /// toward zero, NaN gives 0 and out-of-range values saturate, as the <c>Cast</c> op does).</summary>
    public static void WriteDoubles(Tensor t, ReadOnlySpan<double> src)
    {
        var buf = t.Buffer;
        if (t.dtype == DType.Float64)
        {
            src.CopyTo(MemoryMarshal.Cast<byte, double>(buf.AsSpan()));
            return;
        }
        for (var i = 0; i < src.Length; i++)
        {
            SetElementFromDouble(buf, t.dtype, i, src[i]);
        }
    }

    /// <summary>Element <paramref name="index"/> of raw storage as double.</summary>
    public static double ElementAsDouble(byte[] data, DType dtype, long index)
    {
        var s = data.AsSpan();
        return dtype switch
        {
            DType.Float32 => MemoryMarshal.Cast<byte, float>(s)[(int)index],
            DType.Float16 => (double)MemoryMarshal.Cast<byte, Half>(s)[(int)index],
            DType.BFloat16 => BFloat16ToSingle(MemoryMarshal.Cast<byte, ushort>(s)[(int)index]),
            DType.Float64 => MemoryMarshal.Cast<byte, double>(s)[(int)index],
            DType.Int8 => (sbyte)s[(int)index],
            DType.UInt8 => s[(int)index],
            DType.Int32 => MemoryMarshal.Cast<byte, int>(s)[(int)index],
            DType.Int64 => MemoryMarshal.Cast<byte, long>(s)[(int)index],
            DType.Bool => s[(int)index] != 0 ? 1.0 : 0.0,
            _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
        };
    }

    /// <summary>Sets element <paramref name="index"/> of raw storage from a double (integer dtypes: truncation
    /// toward zero, NaN gives 0, out-of-range values saturate, as the <c>Cast</c> op does).</summary>
    public static void SetElementFromDouble(byte[] data, DType dtype, long index, double value)
    {
        var s = data.AsSpan();
        var i = (int)index;
        switch (dtype)
        {
            case DType.Float32: MemoryMarshal.Cast<byte, float>(s)[i] = (float)value; break;
            case DType.Float16: MemoryMarshal.Cast<byte, Half>(s)[i] = (Half)value; break;
            case DType.BFloat16: MemoryMarshal.Cast<byte, ushort>(s)[i] = SingleToBFloat16((float)value); break;
            case DType.Float64: MemoryMarshal.Cast<byte, double>(s)[i] = value; break;
            case DType.Int8: s[i] = unchecked((byte)(sbyte)Math.Clamp(ToInt64(value), sbyte.MinValue, sbyte.MaxValue)); break;
            case DType.UInt8: s[i] = (byte)Math.Clamp(ToInt64(value), byte.MinValue, byte.MaxValue); break;
            case DType.Int32: MemoryMarshal.Cast<byte, int>(s)[i] = (int)Math.Clamp(ToInt64(value), int.MinValue, int.MaxValue); break;
            case DType.Int64: MemoryMarshal.Cast<byte, long>(s)[i] = ToInt64(value); break;
            case DType.Bool: s[i] = value != 0 ? (byte)1 : (byte)0; break;
            default: throw new ArgumentOutOfRangeException(nameof(dtype));
        }
    }

    /// <summary>The integer values of a tensor (for shape arguments), or null when it has no data or is not integral.</summary>
    public static long[]? IntegerValues(Tensor t)
    {
        if (!t.HasData || !t.dtype.IsInteger())
        {
            return null;
        }
        var r = new long[t.size];
        if (t.dtype == DType.Int64)
        {
            // Through double, values beyond 2^53 would lose their low bits.
            MemoryMarshal.Cast<byte, long>(t.Buffer.AsSpan()).CopyTo(r);
            return r;
        }
        for (var i = 0; i < r.Length; i++)
        {
            r[i] = (long)ElementAsDouble(t.Buffer, t.dtype, i);
        }
        return r;
    }

    private static long ToInt64(double v)
    {
        if (double.IsNaN(v))
        {
            return 0;
        }
        var t = Math.Truncate(v);
        if (t >= 9.2233720368547758E18)
        {
            return long.MaxValue;
        }
        if (t <= -9.2233720368547758E18)
        {
            return long.MinValue;
        }
        return (long)t;
    }
}
