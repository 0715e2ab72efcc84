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
}
