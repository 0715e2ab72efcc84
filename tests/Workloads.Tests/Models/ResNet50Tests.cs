using OnSram.Workloads.Tests.Support;
using static OnSram.Workloads.Tests.Support.Params;

namespace OnSram.Workloads.Tests.Models;

public class ResNet50Tests
{
    private static readonly (int Width, int Blocks)[] s_stages = { (64, 3), (128, 4), (256, 6), (512, 3) };
    private static readonly int s_blocks = s_stages.Sum(s => s.Blocks);

    [Fact]
    public void Parameters_KerasResNet50_Match25_6M()
    {
        // Keras ResNet50: biased convolutions, batch norm with scale (4 values per channel in all).
        long p = Conv(3, 64, 7) + BatchNorm(64), cin = 64;
        foreach (var (w, blocks) in s_stages)
        {
            for (var b = 0; b < blocks; b++)
            {
                if (b == 0)
                {
                    p += Conv(cin, 4 * w, 1) + BatchNorm(4 * w);
                }
                p += Conv(cin, w, 1) + BatchNorm(w) + Conv(w, w, 3) + BatchNorm(w) + Conv(w, 4 * w, 1) + BatchNorm(4 * w);
                cin = 4 * w;
            }
        }
        p += Dense(cin, 1000);
        var r = Probe.Network("resnet50");
        r.Parameters.Should().Be(p).And.Be(25_636_712, "Keras ResNet50 total params");
        r.TrainableParameters.Should().Be(25_583_592, "Keras ResNet50 trainable params");
    }

    [Fact]
    public void Forward_Unfused_Emits53ConvolutionsAnd16ResidualAdds()
    {
        var r = Probe.Network("resnet50");
        var convs = 1 + 3 * s_blocks + s_stages.Length;
        convs.Should().Be(53);
        r.OutputShape.ToCompactString().Should().Be("[1,1000]");
        r.OpCounts.Should().BeEquivalentTo(new Dictionary<string, int>
        {
            ["Conv2D"] = convs, ["BiasAdd"] = convs + 1, ["FusedBatchNormV3"] = convs,
            ["Relu"] = 1 + 2 * s_blocks + s_blocks, ["AddV2"] = s_blocks,
            ["Pad"] = 2, ["MaxPool"] = 1, ["Mean"] = 1, ["MatMul"] = 1, ["Softmax"] = 1,
        });
        r.OutputShapes("AddV2").Should().Equal(
            Enumerable.Repeat("[1,56,56,256]", 3).Concat(Enumerable.Repeat("[1,28,28,512]", 4))
                .Concat(Enumerable.Repeat("[1,14,14,1024]", 6)).Concat(Enumerable.Repeat("[1,7,7,2048]", 3)));
        r.OutputShapes("MaxPool").Should().Equal("[1,56,56,64]");
    }

    [Fact]
    public void Forward_Fused_FoldsConvBiasBnAndReluIntoOneOp()
    {
        var r = Probe.Network("resnet50_fused");
        r.OpCounts.Should().BeEquivalentTo(new Dictionary<string, int>
        {
            ["_FusedConv2D"] = 53, ["AddV2"] = 16, ["Relu"] = 16, ["Pad"] = 2, ["MaxPool"] = 1, ["Mean"] = 1, ["_FusedMatMul"] = 1, ["Softmax"] = 1,
        });
        var ops = r.FusedOps("_FusedConv2D");
        ops.Count(o => o == "FusedBatchNorm+Relu").Should().Be(1 + 2 * s_blocks);
        ops.Count(o => o == "FusedBatchNorm").Should().Be(s_blocks + s_stages.Length, "the third conv of each block and the projections");
        r.Parameters.Should().Be(25_636_712, "fusion changes ops, not weights");
        var convEvents = r.Events.Where(e => e.OpType == "_FusedConv2D").Select(e => e.Op!.Value).ToArray();
        convEvents.Should().OnlyContain(o => o.Inputs.Length == 6 && (long)o.Attrs.Where(a => a.Key == "num_args").Single().Value == 4);
    }
}
