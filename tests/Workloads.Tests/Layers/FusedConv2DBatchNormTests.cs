using OnSram.Runtime;
using OnSram.Workloads.Layers;
using OnSram.Workloads.Tests.Support;
using static OnSram.Runtime.Binding;
using static OnSram.Workloads.Tests.Support.Reference;

namespace OnSram.Workloads.Tests.Layers;

public class FusedConv2DBatchNormTests
{
    [Fact]
    public void Call_Meta_EmitsOneFusedConv2DWithFourBatchNormArguments()
    {
        using var s = Contexts.Meta();
        var layer = new FusedConv2DBatchNorm(new Conv2D(8, 3, 2, "same", use_bias: false), new BatchNormalization(1e-3f), "relu6");
        layer.Call(Input(1, 9, 9, 4)).shape.ToCompactString().Should().Be("[1,5,5,8]");
        var op = s.Recorder.Ops.Single();
        op.OpType.Should().Be("_FusedConv2D");
        op.Inputs.Should().HaveCount(6);
        op.Attrs.CanonicalKey.Should().Contain("fused_ops=[FusedBatchNorm,Relu6]").And.Contain("num_args=4")
            .And.Contain("epsilon=0.001").And.Contain("strides=[1,2,2,1]").And.Contain("padding=SAME");
        layer.ParameterCount.Should().Be(3 * 3 * 4 * 8 + 4 * 8, "the convolution and the batch norm keep their own weights");
    }

    [Fact]
    public void Call_RealBFloat16WithBias_MatchesTheUnfusedLayers()
    {
        // The conv bias is folded into the mean on the host, which has to work for every floating dtype a network takes.
        using var s = Contexts.Real();
        var x = tf.cast(Input(1, 6, 7, 3), DType.BFloat16);
        var plain = new Sequential(new Conv2D(4, 3, 1, "same"), new BatchNormalization(1e-3f), new Activation("relu"));
        var fused = new FusedConv2DBatchNorm(new Conv2D(4, 3, 1, "same"), new BatchNormalization(1e-3f), "relu");
        plain.AssignSeeds(8);
        fused.AssignSeeds(8);

        var y = fused.Call(x);

        y.dtype.Should().Be(DType.BFloat16);
        y.Values().ShouldBeClose(plain.Call(x).Values(), 0.05);
    }

    [Fact]
    public void Constructor_ConvolutionWithActivation_Throws()
    {
        var act = () => new FusedConv2DBatchNorm(new Conv2D(8, 3, activation: "relu"), new BatchNormalization());
        act.Should().Throw<ArgumentException>().WithMessage("*before the batch norm*");
    }

    [Theory]
    [InlineData(true, "relu")]
    [InlineData(false, "relu")]
    [InlineData(true, null)]
    [InlineData(false, "tanh")]
    public void Call_Real_EqualsConvBiasBatchNormActivationUnfused(bool useBias, string? activation)
    {
        using var s = Contexts.Real();
        var x = Input(1, 6, 7, 3);
        Layer Unfused() => activation is null
            ? new Sequential(new Conv2D(4, 3, 1, "same", use_bias: useBias), new BatchNormalization(1e-3f))
            : new Sequential(new Conv2D(4, 3, 1, "same", use_bias: useBias), new BatchNormalization(1e-3f), new Activation(activation));
        var plain = Unfused();
        var fused = new FusedConv2DBatchNorm(new Conv2D(4, 3, 1, "same", use_bias: useBias), new BatchNormalization(1e-3f), activation);
        plain.AssignSeeds(8);
        fused.AssignSeeds(8);
        var expected = plain.Call(x).Values();
        fused.Call(x).Values().ShouldBeClose(expected, 1e-4);
        fused.Weights.Select(w => w.Tensor.ToDoubleArray()).Should().BeEquivalentTo(plain.Weights.Select(w => w.Tensor.ToDoubleArray()),
            o => o.WithStrictOrdering(), "the same seeds give the same weights in both forms");
    }
}
