namespace OnSram.Runtime.Tests;

public sealed class ShapeAndAttrsTests
{
    [Fact]
    public void Shape_NegativeDimension_Throws()
    {
        var act = () => new Shape(1, -2, 3);

        act.Should().Throw<ArgumentException>().WithMessage("*negative*");
    }

    [Fact]
    public void Shape_NegativeIndex_CountsFromEnd()
    {
        var s = new Shape(1, 224, 224, 3);

        s[-1].Should().Be(3);
        s.size.Should().Be(224 * 224 * 3);
        s.ToString().Should().Be("(1, 224, 224, 3)");
    }

    [Fact]
    public void OpAttrs_CanonicalKey_IsSortedAndStable()
    {
        var a = OpAttrs.Of(("strides", new[] { 1, 2, 2, 1 }), ("padding", "SAME"), ("epsilon", 0.001f));
        var b = OpAttrs.Empty.With("padding", "SAME").With("epsilon", 0.001f).With("strides", new long[] { 1, 2, 2, 1 });

        a.CanonicalKey.Should().Be(b.CanonicalKey);
        a.CanonicalKey.Should().StartWith("epsilon=").And.Contain("padding=SAME;strides=[1,2,2,1]");
    }

    [Theory]
    [InlineData(1.0f)]
    [InlineData(-3.5f)]
    [InlineData(65504f)]
    [InlineData(1e-3f)]
    public void BFloat16_RoundTrip_IsWithinOneUlp(float value)
    {
        var back = TensorData.BFloat16ToSingle(TensorData.SingleToBFloat16(value));

        back.Should().BeApproximately(value, Math.Abs(value) / 128f);
    }

    [Fact]
    public void OpAttrs_CallerMutatesAnArrayItGot_AttributesAndKeyStayTheSame()
    {
        var attrs = OpAttrs.Of(("strides", new[] { 1, 2, 2, 1 }));
        var key = attrs.CanonicalKey;

        attrs.TryGet("strides", out var got).Should().BeTrue();
        ((long[])got)[1] = 99;
        foreach (var kv in attrs)
        {
            ((long[])kv.Value)[2] = 77;
        }

        attrs.TryGet("strides", out var again);
        ((long[])again).Should().Equal(1, 2, 2, 1);
        attrs.CanonicalKey.Should().Be(key);
    }
}
