using OnSram.Runtime.Tests.Support;
using static OnSram.Runtime.Binding;

namespace OnSram.Runtime.Tests;

public sealed class TensorScopeTests
{
    [Fact]
    public void Dispose_NotInnermost_KeptTensorsMoveToTheEnclosingScopeNotTheInnerOne()
    {
        using var t = new TestContext();
        using var outer = tf.scope();
        var middle = tf.scope();
        var kept = middle.Keep(tf.constant(new[] { 1f }));
        var inner = tf.scope();

        middle.Dispose();
        inner.Dispose();

        kept.IsDisposed.Should().BeFalse("it was kept by the middle scope, so it belongs to the outer scope now");
        outer.Count.Should().Be(1);
    }
}
