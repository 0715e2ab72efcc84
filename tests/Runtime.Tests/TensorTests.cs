using OnSram.Runtime.Tests.Support;
using static OnSram.Runtime.Binding;

namespace OnSram.Runtime.Tests;

public sealed class TensorTests
{
    [Fact]
    public void Dispose_SameHandleFromTwoThreadsAtOnce_ReleasesTheHandleOnce()
    {
        using var t = new TestContext();
        var rec = new RecordingObserver();
        using var _ = t.Context.Attach(rec);
        for (var i = 0; i < 10_000; i++)
        {
            var x = tf.constant(new[] { 1f });
            var view = tf.identity(x);
            using var start = new Barrier(2);
            var other = new Thread(() =>
            {
                start.SignalAndWait();
                x.Dispose();
            });
            other.Start();
            start.SignalAndWait();
            x.Dispose();
            other.Join();

            t.Context.LiveTensorCount.Should().Be(1, "the view still holds the id (iteration {0})", i);
            rec.Releases.Should().BeEmpty();
            view.Dispose();
            rec.Releases.Clear();
        }
    }
}
