using OnSram.Workloads.Tests.Support;
using static OnSram.Workloads.Tests.Support.Params;

namespace OnSram.Workloads.Tests.Models;

public class MobileNetV1Tests
{
    private static readonly (int Filters, int Stride)[] s_blocks =
    {
        (64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1),
    };

    [Fact]
    public void Parameters_KerasMobileNet_Match4_25M()
    {
        long p = Conv(3, 32, 3, bias: false) + BatchNorm(32), cin = 32;
        foreach (var (f, _) in s_blocks)
        {
            p += 3 * 3 * cin + BatchNorm(cin) + Conv(cin, f, 1, bias: false) + BatchNorm(f);
            cin = f;
        }
        p += Conv(cin, 1000, 1);
        var r = Probe.Network("mobilenet_v1");
        r.Parameters.Should().Be(p).And.Be(4_253_864, "Keras MobileNet total params");
        r.TrainableParameters.Should().Be(4_231_976, "Keras MobileNet trainable params");
    }

    [Fact]
    public void Forward_Unfused_Emits13DepthwiseSeparableBlocks()
    {
        var r = Probe.Network("mobilenet_v1");
        var blocks = s_blocks.Length;
        var strided = s_blocks.Count(b => b.Stride == 2);
        r.OutputShape.ToCompactString().Should().Be("[1,1000]");
        r.OpCounts.Should().BeEquivalentTo(new Dictionary<string, int>
        {
            ["Conv2D"] = 1 + blocks + 1, ["DepthwiseConv2dNative"] = blocks, ["FusedBatchNormV3"] = 1 + 2 * blocks,
            ["Relu6"] = 1 + 2 * blocks, ["Pad"] = strided, ["Mean"] = 1, ["BiasAdd"] = 1, ["Softmax"] = 1,
        });
        r.OutputShapes("DepthwiseConv2dNative").Should().Equal(
            "[1,112,112,32]", "[1,56,56,64]", "[1,56,56,128]", "[1,28,28,128]", "[1,28,28,256]", "[1,14,14,256]",
            "[1,14,14,512]", "[1,14,14,512]", "[1,14,14,512]", "[1,14,14,512]", "[1,14,14,512]", "[1,7,7,512]", "[1,7,7,1024]");
        r.OutputShapes("Mean").Should().Equal("[1,1,1,1024]");
    }

    [Fact]
    public void Forward_Fused_FusesPointwiseConvolutionsButNotDepthwise()
    {
        var r = Probe.Network("mobilenet_v1_fused");
        r.OpCounts.Should().BeEquivalentTo(new Dictionary<string, int>
        {
            ["_FusedConv2D"] = 1 + 13 + 1, ["DepthwiseConv2dNative"] = 13, ["FusedBatchNormV3"] = 13, ["Relu6"] = 13,
            ["Pad"] = 4, ["Mean"] = 1, ["Softmax"] = 1,
        });
        r.FusedOps("_FusedConv2D").Should().Equal(Enumerable.Repeat("FusedBatchNorm+Relu6", 14).Append("BiasAdd"));
    }
}
