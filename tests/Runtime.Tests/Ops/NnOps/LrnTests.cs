using OnSram.Runtime;
using OnSram.Runtime.Tests.Support;
using static OnSram.Runtime.Binding;

namespace OnSram.Runtime.Tests.Ops.NnOps;

public sealed class LrnTests
{
    public static TheoryData<DType, int, double, double, double> Cases()
    {
        var data = new TheoryData<DType, int, double, double, double>();
        foreach (var d in new[] { DType.Float32, DType.Float16, DType.BFloat16 })
        {
            data.Add(d, 5, 1, 1, 0.5);           // TensorFlow's defaults
            data.Add(d, 2, 2, 1e-4, 0.75);       // AlexNet's setting
            data.Add(d, 0, 1, 0.5, 1);
            data.Add(d, 1, 0.5, 0.3, 0.25);
            data.Add(d, 20, 1, 0.01, 0.5);       // window wider than the channels
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Execute_Attributes_MatchesScalarReference(DType dtype, int radius, double bias, double alpha, double beta)
    {
        using var t = new TestContext();
        var seed = 80;
        foreach (var s in new[] { "[1,3,3,5]", "[2,2,3,16]", "[1,1,1,1]", "[1,2,2,7]", "[1,0,2,3]" })
        {
            var shape = OpTestData.ParseShape(s);
            var (x, xv) = OpTestData.Random(seed++, shape, dtype);
            var attrs = OpAttrs.Of(("depth_radius", radius), ("bias", bias), ("alpha", alpha), ("beta", beta));

            var y = t.Context.Execute("LRN", [x], attrs)[0];

            y.shape.Should().Be(shape);
            var channels = (int)shape.dims[3];
            var expected = new double[xv.Length];
            for (var i = 0; i < xv.Length; i++)
            {
                var d = i % channels;
                var sqr = 0.0;
                for (var c = d - radius; c <= d + radius; c++)
                {
                    if (c >= 0 && c < channels)
                    {
                        var v = xv[i - d + c];
                        sqr += v * v;
                    }
                }
                expected[i] = xv[i] / Math.Pow(bias + alpha * sqr, beta);
            }
            OpTestData.AssertClose(y.ToDoubleArray(), expected, OpTestData.Tolerance(dtype), $"{dtype.Name()} {s} r={radius}");
        }
    }

    [Fact]
    public void Execute_Defaults_AreTensorFlows()
    {
        using var t = new TestContext();
        var x = tf.constant(new[] { 1f, 2f, 3f }, new Shape(1, 1, 1, 3));

        var y = t.Context.Execute("LRN", [x])[0].ToArray<float>();

        // radius 5 covers every channel: sqr_sum = 14, output = x / sqrt(1 + 14).
        var k = (float)(1 / Math.Sqrt(15));
        y.Should().Equal(1f * k, 2f * k, 3f * k);
    }

    [Fact]
    public void Execute_ReportsWindowPlusFourFlopsPerElement()
    {
        using var t = new TestContext();
        var rec = new RecordingObserver();
        using var _ = t.Context.Attach(rec);

        tf.nn.lrn(tf.zeros(new Shape(1, 2, 2, 16)), depth_radius: 2);
        tf.nn.lrn(tf.zeros(new Shape(1, 2, 2, 3)), depth_radius: 5);

        rec.Ops[0].Flops.Should().Be((5 + 4) * 64);
        rec.Ops[1].Flops.Should().Be((3 + 4) * 12, "the window is clipped to the 3 channels");
    }

    [Fact]
    public void Execute_Rank3_ThrowsNamingShape()
    {
        using var t = new TestContext();

        var act = () => tf.nn.lrn(tf.zeros(new Shape(2, 3, 4)));

        act.Should().Throw<OpException>().Which.Message.Should().Contain("LRN").And.Contain("[2,3,4]").And.Contain("rank 4");
    }

    [Fact]
    public void Execute_NegativeRadius_ThrowsNamingAttribute()
    {
        using var t = new TestContext();

        var act = () => tf.nn.lrn(tf.zeros(new Shape(1, 2, 2, 3)), depth_radius: -1);

        act.Should().Throw<OpException>().Which.Attribute.Should().Be("depth_radius");
    }

    [Fact]
    public void Execute_Float64_ThrowsAsTensorFlow()
    {
        using var t = new TestContext();

        var act = () => tf.nn.lrn(tf.zeros(new Shape(1, 2, 2, 3), DType.Float64));

        act.Should().Throw<OpException>().Which.Message.Should().Contain("float64");
    }
}
