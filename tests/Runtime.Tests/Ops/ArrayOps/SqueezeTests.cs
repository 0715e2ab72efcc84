using OnSram.Runtime.Tests.Support;
using static OnSram.Runtime.Binding;
using static OnSram.Runtime.Tests.Ops.ArrayOps.ArrayTestSupport;

namespace OnSram.Runtime.Tests.Ops.ArrayOps;

public sealed class SqueezeTests
{
    [Fact]
    public void Squeeze_NoDims_RemovesEverySizeOneDim()
    {
        using var t = new TestContext();
        foreach (var shape in Shapes)
        {
            foreach (var dtype in new[] { DType.Float32, DType.Bool, DType.Float16, DType.Int32 })
            {
                var x = Input(shape, dtype);

                var y = tf.squeeze(x);

                y.shape.Should().Be(new Shape(shape.ToArray().Where(d => d != 1).ToArray()));
                y.Id.Should().Be(x.Id);
                Bytes(y).Should().Equal(Bytes(x));
            }
        }
    }

    [Theory]
    [InlineData(new[] { 0 }, new long[] { 3, 1, 5, 1 })]
    [InlineData(new[] { -1 }, new long[] { 1, 3, 1, 5 })]
    [InlineData(new[] { 2, -5 }, new long[] { 3, 5, 1 })]
    [InlineData(new[] { 0, 2, 4 }, new long[] { 3, 5 })]
    public void Squeeze_NamedDims_RemovesOnlyThose(int[] dims, long[] expected)
    {
        using var t = new TestContext();
        var x = Input(new Shape(1, 3, 1, 5, 1), DType.Int32);

        var y = tf.squeeze(x, dims);

        y.shape.Should().Be(new Shape(expected));
        Bytes(y).Should().Equal(Bytes(x));
    }

    [Fact]
    public void Squeeze_NamedDimNotOne_ThrowsNamingAttribute()
    {
        using var t = new TestContext();
        var x = Input(new Shape(1, 3), DType.Float32);

        var act = () => tf.squeeze(x, new[] { 1 });

        var e = act.Should().Throw<OpException>().Which;
        e.Attribute.Should().Be("squeeze_dims");
        e.Message.Should().Contain("Squeeze").And.Contain("size 3").And.Contain("float32[1,3]");
    }

    [Fact]
    public void Squeeze_NamedDimOutOfRange_Throws()
    {
        using var t = new TestContext();
        var x = Input(new Shape(1, 3), DType.Float32);

        var act = () => tf.squeeze(x, new[] { -3 });

        act.Should().Throw<OpException>().Which.Attribute.Should().Be("squeeze_dims");
    }

    [Fact]
    public void Squeeze_IsView_SendsNoEvent()
    {
        using var t = new TestContext();
        var rec = new RecordingObserver();
        var x = Input(new Shape(1, 3), DType.Float32);
        using var _ = t.Context.Attach(rec);

        var y = tf.squeeze(x);

        y.Id.Should().Be(x.Id);
        rec.Ops.Should().BeEmpty();
    }

    [Fact]
    public void Squeeze_MetaMode_PlansSameShapeAsRealMode()
    {
        var (real, meta) = BothModes(m => tf.squeeze(Data(new Shape(1, 4, 1, 3), DType.Float32, m), new[] { 2 }));

        meta.Should().Be(real);
        real.Shape.Should().Be(new Shape(1, 4, 3));
    }
}
