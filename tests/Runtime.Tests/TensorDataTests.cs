using OnSram.Runtime.Tests.Support;
using static OnSram.Runtime.Binding;

namespace OnSram.Runtime.Tests;

public sealed class TensorDataTests
{
    [Fact]
    public void IntegerValues_Int64BeyondDoublePrecision_AreExact()
    {
        using var t = new TestContext();
        var values = new[] { (1L << 53) + 1, long.MaxValue - 1, long.MinValue + 1, -((1L << 60) + 3) };
        var x = tf.constant(values);

        TensorData.IntegerValues(x).Should().Equal(values);
    }

    [Fact]
    public void Slice_Int64BeginBeyondDoublePrecision_ErrorNamesTheExactValue()
    {
        using var t = new TestContext();
        var x = tf.zeros(new Shape(4));
        var begin = tf.constant(new[] { (1L << 53) + 1 });
        var size = tf.constant(new[] { 1L });

        var act = () => tf.execute("Slice", new[] { x, begin, size });

        act.Should().Throw<OpException>().WithMessage("*9007199254740993*");
    }

    [Theory]
    [InlineData(3e9, DType.Int32)]
    [InlineData(-3e9, DType.Int32)]
    [InlineData(300.0, DType.Int8)]
    [InlineData(-2.5, DType.UInt8)]
    [InlineData(1e30, DType.Int64)]
    [InlineData(-7.9, DType.Int8)]
    public void SetElementFromDouble_IntegerDType_ConvertsAsTheCastOpDoes(double value, DType dtype)
    {
        using var t = new TestContext();

        var stored = tf.constant(value, dtype).ToDoubleArray();
        var cast = tf.cast(tf.constant(new[] { value }), dtype).ToDoubleArray();

        stored.Should().Equal(cast);
    }
}
