using OnSram.Accelerator;
using OnSram.Speculation.Events;

namespace OnSram.Runtime.Ops.MathOps;

/// <summary>
/// <c>Cast</c>: converts every element to the dtype of attribute <c>DstT</c>; any pair of supported
/// dtypes. <c>SrcT</c>, when given, must equal the input's dtype. <c>Truncate</c> (default false), as
/// in TensorFlow, drops the low mantissa bits of a floating source before narrowing it to a floating
/// type with fewer mantissa bits, so the result is rounded toward zero instead of to nearest even.
/// Semantics:
/// <list type="bullet">
/// <item>floating to floating: round to nearest even (float64 to bfloat16 goes through float32, as TensorFlow's bfloat16 type does);</item>
/// <item>floating to integer: truncation toward zero; NaN gives 0 and out-of-range values saturate to the
/// integer type's range (TensorFlow leaves these cases to the hardware; saturation is what GPUs and .NET do);</item>
/// <item>integer to integer: two's-complement wrap-around, as C++ casts;</item>
/// <item>to bool: true for every non-zero value (NaN included); from bool: 1 or 0.</item>
/// </list>
/// Casting to the input's own dtype is a view (no copy, no event), as TensorFlow forwards the input.
/// FLOPs: 1 per element. Unit: vector. InputReuse: 1.
/// </summary>
public sealed class Cast : IOpDefinition
{
    /// <inheritdoc />
    public string OpType => "Cast";

    /// <inheritdoc />
    public OpPlan Plan(OpInvocation invocation)
    {
        invocation.ExpectInputs(1);
        var x = invocation.Inputs[0];
        var dst = invocation.Type("DstT");
        if (invocation.Attrs.Contains("SrcT"))
        {
            var src = invocation.Type("SrcT");
            if (src != x.DType)
            {
                throw invocation.Error($"says the input is {src.Name()} but it is {x.DType.Name()}", "SrcT");
            }
        }
        var truncate = invocation.Bool("Truncate", false);
        var output = new TensorSpec(x.Shape, dst);
        if (dst == x.DType)
        {
            return new ViewPlan(output);
        }
        return new DelegatePlan([output], x.Shape.size, ComputeUnit.Vector, OpTraits.Elementwise,
            (inputs, outputs) => Convert(inputs[0], outputs[0], truncate));
    }

    private static void Convert(Tensor x, Tensor y, bool truncate)
    {
        if (x.dtype.IsFloating())
        {
            var values = ReadFloating(x);
            var dropBits = truncate && y.dtype.IsFloating() ? 52 - MantissaBits(y.dtype) : 0;
            if (dropBits > 0 && MantissaBits(x.dtype) > MantissaBits(y.dtype))
            {
                var mask = ~((1L << dropBits) - 1);
                for (var i = 0; i < values.Length; i++)
                {
                    if (!double.IsNaN(values[i]))
                    {
                        values[i] = BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(values[i]) & mask);
                    }
                }
            }
            WriteFromFloating(values, y);
        }
        else
        {
            WriteFromIntegers(ReadIntegers(x), y);
        }
    }

    private static int MantissaBits(DType dtype) => dtype switch
    {
        DType.Float64 => 52,
        DType.Float32 => 23,
        DType.Float16 => 10,
        DType.BFloat16 => 7,
        _ => 0,
    };

    private static double[] ReadFloating(Tensor x)
    {
        var r = new double[x.size];
        switch (x.dtype)
        {
            case DType.Float32:
                {
                    var s = x.Data<float>();
                    for (var i = 0; i < r.Length; i++) { r[i] = s[i]; }
                    break;
                }
            case DType.Float64: x.Data<double>().CopyTo(r); break;
            case DType.Float16:
                {
                    var s = x.Data<Half>();
                    for (var i = 0; i < r.Length; i++) { r[i] = (double)s[i]; }
                    break;
                }
            case DType.BFloat16:
                {
                    var s = x.Data<ushort>();
                    for (var i = 0; i < r.Length; i++) { r[i] = TensorData.BFloat16ToSingle(s[i]); }
                    break;
                }
            default: throw new InvalidOperationException($"{x.dtype.Name()} is not floating");
        }
        return r;
    }

    private static long[] ReadIntegers(Tensor x)
    {
        var r = new long[x.size];
        switch (x.dtype)
        {
            case DType.Int8:
                {
                    var s = x.Data<sbyte>();
                    for (var i = 0; i < r.Length; i++) { r[i] = s[i]; }
                    break;
                }
            case DType.UInt8:
                {
                    var s = x.Data<byte>();
                    for (var i = 0; i < r.Length; i++) { r[i] = s[i]; }
                    break;
                }
            case DType.Bool:
                {
                    var s = x.Data<byte>();
                    for (var i = 0; i < r.Length; i++) { r[i] = s[i] != 0 ? 1 : 0; }
                    break;
                }
            case DType.Int32:
                {
                    var s = x.Data<int>();
                    for (var i = 0; i < r.Length; i++) { r[i] = s[i]; }
                    break;
                }
            case DType.Int64: x.Data<long>().CopyTo(r); break;
            default: throw new InvalidOperationException($"{x.dtype.Name()} is not integral");
        }
        return r;
    }

    private static void WriteFromFloating(double[] v, Tensor y)
    {
        switch (y.dtype)
        {
            case DType.Float32:
                {
                    var d = y.Data<float>();
                    for (var i = 0; i < v.Length; i++) { d[i] = (float)v[i]; }
                    break;
                }
            case DType.Float64: v.CopyTo(y.Data<double>()); break;
            case DType.Float16:
                {
                    var d = y.Data<Half>();
                    for (var i = 0; i < v.Length; i++) { d[i] = (Half)v[i]; }
                    break;
                }
            case DType.BFloat16:
                {
                    var d = y.Data<ushort>();
                    for (var i = 0; i < v.Length; i++) { d[i] = TensorData.SingleToBFloat16((float)v[i]); }
                    break;
                }
            case DType.Bool:
                {
                    var d = y.Data<byte>();
                    for (var i = 0; i < v.Length; i++) { d[i] = v[i] != 0 ? (byte)1 : (byte)0; }
                    break;
                }
            case DType.Int8:
                {
                    var d = y.Data<sbyte>();
                    for (var i = 0; i < v.Length; i++) { d[i] = (sbyte)Saturate(v[i], sbyte.MinValue, sbyte.MaxValue); }
                    break;
                }
            case DType.UInt8:
                {
                    var d = y.Data<byte>();
                    for (var i = 0; i < v.Length; i++) { d[i] = (byte)Saturate(v[i], byte.MinValue, byte.MaxValue); }
                    break;
                }
            case DType.Int32:
                {
                    var d = y.Data<int>();
                    for (var i = 0; i < v.Length; i++) { d[i] = (int)Saturate(v[i], int.MinValue, int.MaxValue); }
                    break;
                }
            case DType.Int64:
                {
                    var d = y.Data<long>();
                    for (var i = 0; i < v.Length; i++) { d[i] = Saturate(v[i], long.MinValue, long.MaxValue); }
                    break;
                }
            default: throw new InvalidOperationException($"no conversion to {y.dtype.Name()}");
        }
    }

    private static void WriteFromIntegers(long[] v, Tensor y)
    {
        switch (y.dtype)
        {
            case DType.Float32:
                {
                    var d = y.Data<float>();
                    for (var i = 0; i < v.Length; i++) { d[i] = v[i]; }
                    break;
                }
            case DType.Float64:
                {
                    var d = y.Data<double>();
                    for (var i = 0; i < v.Length; i++) { d[i] = v[i]; }
                    break;
                }
            case DType.Float16:
                {
                    var d = y.Data<Half>();
                    for (var i = 0; i < v.Length; i++) { d[i] = (Half)v[i]; }
                    break;
                }
            case DType.BFloat16:
                {
                    var d = y.Data<ushort>();
                    for (var i = 0; i < v.Length; i++) { d[i] = TensorData.SingleToBFloat16(v[i]); }
                    break;
                }
            case DType.Bool:
                {
                    var d = y.Data<byte>();
                    for (var i = 0; i < v.Length; i++) { d[i] = v[i] != 0 ? (byte)1 : (byte)0; }
                    break;
                }
            case DType.Int8:
                {
                    var d = y.Data<sbyte>();
                    for (var i = 0; i < v.Length; i++) { d[i] = unchecked((sbyte)v[i]); }
                    break;
                }
            case DType.UInt8:
                {
                    var d = y.Data<byte>();
                    for (var i = 0; i < v.Length; i++) { d[i] = unchecked((byte)v[i]); }
                    break;
                }
            case DType.Int32:
                {
                    var d = y.Data<int>();
                    for (var i = 0; i < v.Length; i++) { d[i] = unchecked((int)v[i]); }
                    break;
                }
            case DType.Int64: v.CopyTo(y.Data<long>()); break;
            default: throw new InvalidOperationException($"no conversion to {y.dtype.Name()}");
        }
    }

    /// <summary>Truncates toward zero and clamps to [min, max]; NaN gives 0.</summary>
    private static long Saturate(double v, long min, long max)
    {
        if (double.IsNaN(v))
        {
            return 0;
        }
        var t = Math.Truncate(v);
        if (t <= min)
        {
            return min;
        }
        // (double)long.MaxValue rounds up to 2^63, so compare with >= to stay in range.
        if (t >= max)
        {
            return max;
        }
        return (long)t;
    }
}
