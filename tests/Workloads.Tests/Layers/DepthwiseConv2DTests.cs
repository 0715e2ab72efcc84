using OnSram.Workloads.Layers;
using OnSram.Workloads.Tests.Support;
using static OnSram.Workloads.Tests.Support.Reference;
using static OnSram.Workloads.Layers.Emit;

namespace OnSram.Workloads.Tests.Layers;

public class DepthwiseConv2DTests
{
    [Fact]
    public void Call_WithBiasAndActivation_EmitsDepthwiseThenBiasAddThenActivation()
    {
        using var s = Contexts.Meta();
        var layer = new DepthwiseConv2D(3, 2, "valid", depth_multiplier: 2, activation: "relu6");
        var y = layer.Call(Input(1, 9, 9, 3));
        s.Recorder.Ops.Select(o => o.OpType).Should().Equal("DepthwiseConv2dNative", "BiasAdd", "Relu6");
        y.shape.ToCompactString().Should().Be("[1,4,4,6]");
        layer.WeightShape("depthwise_kernel").Should().Equal(3, 3, 3, 2);
        layer.ParameterCount.Should().Be(3 * 3 * 3 * 2 + 6);
    }

    [Theory]
    [InlineData(1, "same")]
    [InlineData(2, "valid")]
    [InlineData(2, "same")]
    public void Call_Real_MatchesNaivePerChannelConvolution(int stride, string padding)
    {
        using var s = Contexts.Real();
        var layer = new DepthwiseConv2D(3, stride, padding, depth_multiplier: 2, use_bias: false);
        layer.AssignSeeds(4);
        var x = Input(1, 7, 6, 3);
        var y = layer.Call(x);
        // A depthwise convolution is a grouped convolution with one group per input channel and the
        // filter [Kh, Kw, C, M] read as [Kh, Kw, 1, C*M].
        var w = layer.Weight("depthwise_kernel");
        var expected = Conv2D(x.Values(), x.Dims(), w, new long[] { 3, 3, 1, 6 }, stride, 1, padding == "same", out var od);
        y.shape.ToArray().Should().Equal(od);
        y.Values().ShouldBeClose(expected);
    }
}
