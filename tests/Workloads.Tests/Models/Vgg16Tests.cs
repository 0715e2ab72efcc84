using OnSram.Workloads.Tests.Support;
using static OnSram.Workloads.Tests.Support.Params;

namespace OnSram.Workloads.Tests.Models;

public class Vgg16Tests
{
    private static readonly (int Convs, int Filters)[] s_blocks = { (2, 64), (2, 128), (3, 256), (3, 512), (3, 512) };

    [Fact]
    public void Parameters_ConfigurationD_Match138_36M()
    {
        long expected = 0, cin = 3;
        foreach (var (convs, f) in s_blocks)
        {
            for (var i = 0; i < convs; i++)
            {
                expected += Conv(cin, f, 3);
                cin = f;
            }
        }
        expected += Dense(7 * 7 * 512, 4096) + Dense(4096, 4096) + Dense(4096, 1000);
        Probe.Network("vgg16").Parameters.Should().Be(expected).And.Be(138_357_544, "Keras VGG16 total");
    }

    [Fact]
    public void Forward_Unfused_Emits13ConvolutionsAnd5Pools()
    {
        var r = Probe.Network("vgg16");
        var convs = s_blocks.Sum(b => b.Convs);
        r.OutputShape.ToCompactString().Should().Be("[1,1000]");
        r.OpCounts.Should().BeEquivalentTo(new Dictionary<string, int>
        {
            ["Conv2D"] = convs, ["BiasAdd"] = convs + 3, ["Relu"] = convs + 2, ["MaxPool"] = 5, ["MatMul"] = 3, ["Softmax"] = 1,
        });
        r.OutputShapes("MaxPool").Should().Equal("[1,112,112,64]", "[1,56,56,128]", "[1,28,28,256]", "[1,14,14,512]", "[1,7,7,512]");
    }

    [Fact]
    public void Forward_Fused_EmitsFusedConvolutionsAndMatMuls()
    {
        var r = Probe.Network("vgg16_fused");
        r.OpCounts.Should().BeEquivalentTo(new Dictionary<string, int>
        {
            ["_FusedConv2D"] = 13, ["MaxPool"] = 5, ["_FusedMatMul"] = 3, ["Softmax"] = 1,
        });
        r.Parameters.Should().Be(138_357_544);
    }
}
