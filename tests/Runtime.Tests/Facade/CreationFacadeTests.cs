using OnSram.Runtime.Tests.Support;
using static OnSram.Runtime.Binding;

namespace OnSram.Runtime.Tests.Facade;

public sealed class CreationFacadeTests
{
    [Fact]
    public void Constant_Int64Scalar_IsInt64AndExact()
    {
        using var t = new TestContext();
        const long value = (1L << 53) + 1;

        var c = tf.constant(value);

        c.dtype.Should().Be(DType.Int64);
        c.shape.Should().Be(Shape.Scalar);
        c.ToArray<long>().Should().Equal(value);
    }

    [Theory]
    [InlineData(DType.BFloat16)]
    [InlineData(DType.Float16)]
    [InlineData(DType.Int8)]
    public void Constant_DoublesOfADType_ConvertEachValueAndEmitNoOp(DType dtype)
    {
        using var t = new TestContext();
        var recorder = new RecordingObserver();
        using var attachment = t.Context.Attach(recorder);
        double[] values = [1.5, -2.25, 300.0, 0.1];

        var c = tf.constant(values, new Shape(2, 2), dtype);

        c.dtype.Should().Be(dtype);
        c.shape.Should().Be(new Shape(2, 2));
        var expected = dtype switch
        {
            DType.Int8 => new[] { 1.0, -2, 127, 0 },
            DType.Float16 => values.Select(v => (double)(Half)v).ToArray(),
            _ => [1.5, -2.25, 300.0, 0.10009765625],
        };
        c.ToDoubleArray().Should().Equal(expected);
        recorder.Ops.Should().BeEmpty();
    }
}
