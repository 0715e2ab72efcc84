using OnSram.Runtime.Tests.Support;
using static OnSram.Runtime.Binding;

namespace OnSram.Runtime.Tests.Facade;

public sealed class MathFacadeTests
{
    [Fact]
    public void Reductions_OutsideAnyScope_LeaveOnlyTheirResultLive()
    {
        using var t = new TestContext();
        var x = tf.constant(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, new Shape(2, 3));
        var calls = new Func<Tensor>[]
        {
            () => tf.reduce_sum(x),
            () => tf.reduce_mean(x, 1, keepdims: true),
            () => tf.reduce_max(x, new[] { 0 }),
        };
        foreach (var call in calls)
        {
            var live = t.Context.LiveTensorCount;

            var y = call();

            t.Context.LiveTensorCount.Should().Be(live + 1, "only the result of {0} stays alive", y);
            y.Dispose();
        }
    }
}
