using OnSram.Runtime;
using OnSram.Runtime.Tests.Support;
using static OnSram.Runtime.Binding;

namespace OnSram.Runtime.Tests.Ops.MathOps;

public sealed class CastTests
{
    private static readonly double[] s_floatSources =
    [
        0, -0.0, 1, -1, 0.1, 1e-3, 2.5, -2.5, 2.7, -2.7, 127.9, 128, -128.5, -129, 255.5, 256, 300, -300,
        1.0009765625 + 1.0 / (1L << 31), 65504, 65520, 70000, 3e9, -3e9, 1e19, -1e19, 1e300,
        double.NaN, double.PositiveInfinity, double.NegativeInfinity,
    ];

    private static readonly double[] s_integerSources =
    [
        0, 1, -1, 127, 128, 255, 256, -128, -129, 300, -300, 65504, 16777217,
        int.MaxValue, int.MinValue, 2147483648.0, (1L << 40) + 5, -((1L << 40) + 5),
    ];

    [Fact]
    public void Execute_EveryDTypePair_MatchesScalarReference()
    {
        using var t = new TestContext();
        foreach (var src in DTypes.All)
        {
            var raw = src == DType.Bool ? [0.0, 1.0] : src.IsFloating() ? s_floatSources : s_integerSources;
            var values = OpTestData.Quantize(raw, src); // what the source tensor really holds
            var x = OpTestData.Make(values, new Shape(values.Length), src);
            foreach (var dst in DTypes.All)
            {
                if (dst == src)
                {
                    continue;
                }

                var y = tf.cast(x, dst);

                y.dtype.Should().Be(dst);
                y.shape.Should().Be(x.shape);
                var actual = y.ToDoubleArray();
                for (var i = 0; i < values.Length; i++)
                {
                    var expected = Reference(values[i], src, dst);
                    var ok = double.IsNaN(expected) ? double.IsNaN(actual[i]) : actual[i].Equals(expected);
                    ok.Should().BeTrue($"cast {src.Name()} {values[i]:R} to {dst.Name()} should give {expected:R}, got {actual[i]:R}");
                }
            }
        }
    }

    [Fact]
    public void Cast_Float64ToFloat16_RoundsOnceNotThroughFloat32()
    {
        using var t = new TestContext();
        // 1 + 2^-11 + 2^-30: through float32 it would become the tie 1 + 2^-11 and round to 1.
        var x = tf.constant(new[] { 1 + Math.Pow(2, -11) + Math.Pow(2, -30) });

        var y = tf.cast(x, DType.Float16).ToArray<Half>();

        ((double)y[0]).Should().Be(1 + Math.Pow(2, -10));
    }

    [Fact]
    public void Cast_Int64ToInt32AndFloat64_IsExactThenWrapsOrRounds()
    {
        using var t = new TestContext();
        var x = tf.constant(new[] { (1L << 62) + 1, (1L << 53) + 1, -1L });

        tf.cast(x, DType.Int32).ToArray<int>().Should().Equal(1, 1, -1);
        tf.cast(x, DType.Float64).ToArray<double>().Should().Equal(Math.Pow(2, 62), Math.Pow(2, 53), -1.0);
    }

    [Theory]
    [InlineData(false, 1.0078125)]
    [InlineData(true, 1.0)]
    public void Cast_Float32ToBFloat16_TruncateSelectsRounding(bool truncate, double expected)
    {
        using var t = new TestContext();
        // 1 + 0.75 * 2^-7 lies between the bfloat16 neighbours 1 and 1 + 2^-7.
        var x = tf.constant(new[] { 1.005859375f, -1.005859375f });
        var attrs = OpAttrs.Of(("DstT", DType.BFloat16), ("Truncate", truncate));

        var y = t.Context.Execute("Cast", [x], attrs)[0].ToDoubleArray();

        y.Should().Equal(expected, -expected);
    }

    [Fact]
    public void Cast_SameDType_IsAViewWithoutEvent()
    {
        using var t = new TestContext();
        var rec = new RecordingObserver();
        using var _ = t.Context.Attach(rec);
        var x = tf.constant(new[] { 1f, 2f });

        var y = tf.cast(x, DType.Float32);

        y.Id.Should().Be(x.Id);
        rec.Ops.Should().BeEmpty();
    }

    [Fact]
    public void Cast_ReportsOneFlopPerElement()
    {
        using var t = new TestContext();
        var rec = new RecordingObserver();
        using var _ = t.Context.Attach(rec);

        tf.cast(tf.zeros(new Shape(3, 5)), DType.Float16);

        rec.Ops.Single().Flops.Should().Be(15);
    }

    [Fact]
    public void Cast_SrcTDisagreesWithInput_ThrowsNamingAttribute()
    {
        using var t = new TestContext();
        var x = tf.constant(new[] { 1f, 2f });
        var attrs = OpAttrs.Of(("DstT", DType.Int32), ("SrcT", DType.Float64));

        var act = () => t.Context.Execute("Cast", [x], attrs);

        var e = act.Should().Throw<OpException>().Which;
        e.Attribute.Should().Be("SrcT");
        e.Message.Should().Contain("Cast").And.Contain("float32[2]").And.Contain("SrcT");
    }

    [Fact]
    public void Cast_MissingDstT_ThrowsNamingAttribute()
    {
        using var t = new TestContext();
        var x = tf.constant(new[] { 1f });

        var act = () => t.Context.Execute("Cast", [x]);

        act.Should().Throw<OpException>().Which.Attribute.Should().Be("DstT");
    }

    [Fact]
    public void Cast_MetaMode_GivesShapeAndDType()
    {
        using var t = new TestContext(meta: true);
        var x = tf.zeros(new Shape(2, 7));

        var y = tf.cast(x, DType.BFloat16);

        y.shape.Should().Be(new Shape(2, 7));
        y.dtype.Should().Be(DType.BFloat16);
        y.HasData.Should().BeFalse();
    }

    /// <summary>TensorFlow's Cast on one exactly known source value, written independently of the kernel.</summary>
    private static double Reference(double v, DType src, DType dst)
    {
        if (dst == DType.Bool)
        {
            return v != 0 || double.IsNaN(v) ? 1 : 0;
        }
        if (dst.IsInteger())
        {
            var (min, max) = dst switch
            {
                DType.Int8 => (-128.0, 127.0),
                DType.UInt8 => (0.0, 255.0),
                DType.Int32 => (int.MinValue, (double)int.MaxValue),
                _ => (long.MinValue, (double)long.MaxValue),
            };
            if (src.IsFloating())
            {
                if (double.IsNaN(v))
                {
                    return 0;
                }
                var tr = Math.Truncate(v);
                return tr < min ? min : tr > max ? max : tr;
            }
            var bits = (long)v;
            return dst switch
            {
                DType.Int8 => unchecked((sbyte)bits),
                DType.UInt8 => unchecked((byte)bits),
                DType.Int32 => unchecked((int)bits),
                _ => bits,
            };
        }
        return dst switch
        {
            DType.Float64 => v,
            DType.Float32 => RoundToFormat(v, 23, -126, 127),
            DType.Float16 => RoundToFormat(v, 10, -14, 15),
            _ => RoundToFormat(v, 7, -126, 127),
        };
    }

    /// <summary>Rounds to the nearest value (ties to even) of a binary format with the given mantissa bits and exponent range.</summary>
    private static double RoundToFormat(double v, int mantissaBits, int minExp, int maxExp)
    {
        if (double.IsNaN(v) || double.IsInfinity(v) || v == 0)
        {
            return v;
        }
        var a = Math.Abs(v);
        var e = Math.Max(Math.ILogB(a), minExp);
        var ulp = Math.ScaleB(1.0, e - mantissaBits);
        var r = Math.Round(a / ulp, MidpointRounding.ToEven) * ulp;
        if (r >= Math.ScaleB(1.0, maxExp + 1))
        {
            r = double.PositiveInfinity;
        }
        return v < 0 ? -r : r;
    }
}
