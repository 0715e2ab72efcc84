using OnSram.Runtime.Tests.Support;
using static OnSram.Runtime.Binding;

namespace OnSram.Runtime.Tests.Facade;

public sealed class NnFacadeTests
{
    [Fact]
    public void BatchNormalization_OutsideAnyScope_LeavesOnlyTheResultLiveAndComputesTheFormula()
    {
        using var t = new TestContext();
        var x = tf.constant(new[] { 1f, 2f, 3f, 4f }, new Shape(2, 2));
        var mean = tf.constant(new[] { 1f, 2f });
        var variance = tf.constant(new[] { 4f, 16f });
        var offset = tf.constant(new[] { 0.5f, -1f });
        var scale = tf.constant(new[] { 2f, 3f });
        var live = t.Context.LiveTensorCount;

        var y = tf.nn.batch_normalization(x, mean, variance, offset, scale, 0f);
        var noOffset = tf.nn.batch_normalization(x, mean, variance, null, null, 0f);

        t.Context.LiveTensorCount.Should().Be(live + 2);
        // scale * (x - mean) / sqrt(variance) + offset
        y.ToArray<float>().Should().Equal(0.5f, -1f, 2.5f, 0.5f);
        noOffset.ToArray<float>().Should().Equal(0f, 0f, 1f, 0.5f);
    }

    [Theory]
    [InlineData(true, new[] { "AddV2", "Rsqrt", "Mul", "Mul", "Mul", "Sub", "AddV2" })]
    [InlineData(false, new[] { "AddV2", "Rsqrt", "Mul", "Mul", "Neg", "Mul", "AddV2" })]
    public void BatchNormalization_EmitsTheOpsInTensorFlowsOrder(bool withOffset, string[] expected)
    {
        // return x * inv + (offset - mean * inv if offset is not None else -mean * inv): x * inv is evaluated first.
        using var t = new TestContext(meta: true);
        var recorder = new RecordingObserver();
        using var attachment = t.Context.Attach(recorder);
        var x = tf.zeros(new Shape(2, 3));
        var p = tf.ones(new Shape(3));

        tf.nn.batch_normalization(x, p, p, withOffset ? p : null, p, 1e-3f);

        recorder.Ops.Select(o => o.OpType).Should().Equal(expected);
        recorder.Ops[3].Inputs[0].Id.Should().Be(x.Id, "x * inv is the first product after inv");
    }
}
