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
}
