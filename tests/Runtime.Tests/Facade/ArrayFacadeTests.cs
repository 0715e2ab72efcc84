using OnSram.Runtime.Tests.Support;
using static OnSram.Runtime.Binding;

namespace OnSram.Runtime.Tests.Facade;

public sealed class ArrayFacadeTests
{
    [Fact]
    public void Reshape_ShapeWithDimensionBeyondInt32_KeepsTheDimension()
    {
        using var t = new TestContext(meta: true);
        var x = tf.zeros(new Shape(1L << 32));

        var y = tf.reshape(x, new Shape(2, 1L << 31));

        y.shape.Should().Be(new Shape(2, 1L << 31));
    }

    [Fact]
    public void Reshape_Shape_GivesTheShapeAndSharesTheBuffer()
    {
        using var t = new TestContext();
        var x = tf.constant(new[] { 1f, 2f, 3f, 4f, 5f, 6f });

        var y = tf.reshape(x, new Shape(3, 2));

        y.shape.Should().Be(new Shape(3, 2));
        y.Id.Should().Be(x.Id);
        y.ToArray<float>().Should().Equal(1f, 2f, 3f, 4f, 5f, 6f);
    }
}
