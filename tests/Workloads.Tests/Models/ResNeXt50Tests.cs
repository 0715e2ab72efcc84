using OnSram.Workloads.Tests.Support;
using static OnSram.Workloads.Tests.Support.Params;

namespace OnSram.Workloads.Tests.Models;

public class ResNeXt50Tests
{
    private static readonly (int Width, int Out, int Blocks)[] s_stages = { (128, 256, 3), (256, 512, 4), (512, 1024, 6), (1024, 2048, 3) };

    [Fact]
    public void Parameters_Resnext50_32x4d_MatchTorchvision25_0M()
    {
        long trainable = Conv(3, 64, 7, bias: false) + 2 * 64, stats = 2 * 64, cin = 64;
        foreach (var (w, o, blocks) in s_stages)
        {
            for (var b = 0; b < blocks; b++)
            {
                var bnChannels = w + w + o + (b == 0 ? o : 0);
                trainable += Conv(cin, w, 1, bias: false) + Conv(w, w, 3, bias: false, groups: 32) + Conv(w, o, 1, bias: false)
                    + (b == 0 ? Conv(cin, o, 1, bias: false) : 0) + 2 * bnChannels;
                stats += 2 * bnChannels;
                cin = o;
            }
        }
        trainable += Dense(cin, 1000);
        var r = Probe.Network("resnext50");
        r.TrainableParameters.Should().Be(trainable).And.Be(25_028_904, "torchvision resnext50_32x4d parameters");
        r.Parameters.Should().Be(trainable + stats, "moving mean and variance count too, as Keras counts them");
    }

    [Fact]
    public void Forward_Unfused_RunsEachGroupedConvolutionAsOneConv2D()
    {
        var r = Probe.Network("resnext50");
        r.OutputShape.ToCompactString().Should().Be("[1,1000]");
        r.OpCounts.Should().BeEquivalentTo(new Dictionary<string, int>
        {
            ["Conv2D"] = 53, ["FusedBatchNormV3"] = 53, ["Relu"] = 1 + 3 * 16, ["AddV2"] = 16,
            ["Pad"] = 2, ["MaxPool"] = 1, ["Mean"] = 1, ["MatMul"] = 1, ["BiasAdd"] = 1, ["Softmax"] = 1,
        });
        var grouped = r.Events.Where(e => e.OpType == "Conv2D").Select(e => e.Op!.Value)
            .Where(o => o.Inputs[1].Shape[0] == 3).ToArray();
        grouped.Should().HaveCount(16);
        grouped.Should().OnlyContain(o => o.Inputs[0].Shape[3] == 32 * o.Inputs[1].Shape[2], "filter depth is Cin/32");
        grouped.Select(o => o.Outputs[0].Shape.ToCompactString()).Distinct().Should().Equal("[1,56,56,128]", "[1,28,28,256]", "[1,14,14,512]", "[1,7,7,1024]");
    }

    [Fact]
    public void Forward_Fused_EmitsFusedConvolutions()
    {
        var r = Probe.Network("resnext50_fused");
        r.OpCounts.Should().BeEquivalentTo(new Dictionary<string, int>
        {
            ["_FusedConv2D"] = 53, ["AddV2"] = 16, ["Relu"] = 16, ["Pad"] = 2, ["MaxPool"] = 1, ["Mean"] = 1, ["_FusedMatMul"] = 1, ["Softmax"] = 1,
        });
    }
}
