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

    [Fact]
    public void ArrayCalls_OutsideAnyScope_LeaveOnlyTheirResultLive()
    {
        using var t = new TestContext();
        var x = tf.constant(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, new Shape(2, 3));
        var ix = tf.constant(new[] { 1, 0 });
        var calls = new Func<Tensor>[]
        {
            () => tf.reshape(x, new[] { 3, 2 }),
            () => tf.reshape(x, new Shape(6)),
            () => tf.transpose(x),
            () => tf.concat(new[] { x, x }, 1),
            () => tf.pad(x, new[,] { { 1, 0 }, { 0, 1 } }),
            () => tf.slice(x, new[] { 0, 1 }, new[] { 2, 2 }),
            () => tf.strided_slice(x, new[] { 0, 0 }, new[] { 2, 3 }, new[] { 1, 2 }),
            () => tf.gather(x, ix, axis: 1),
            () => tf.expand_dims(x, 0),
        };
        foreach (var call in calls)
        {
            var live = t.Context.LiveTensorCount;

            var y = call();

            var added = y.Id == x.Id ? 0 : 1; // a view shares the id of its base
            t.Context.LiveTensorCount.Should().Be(live + added, "only the result of {0} stays alive", y);
            y.Dispose();
        }
    }

    [Fact]
    public void Transpose_BadPerm_ThrowsAndReleasesThePermConstant()
    {
        using var t = new TestContext();
        var x = tf.zeros(new Shape(2, 3));
        var rec = new RecordingObserver();
        using var _ = t.Context.Attach(rec);
        var live = t.Context.LiveTensorCount;

        var act = () => tf.transpose(x, new[] { 0, 0 });

        act.Should().Throw<OpException>();
        t.Context.LiveTensorCount.Should().Be(live);
        rec.Ops.Should().BeEmpty();
    }
}
