using OnSram.Workloads.Tests.Support;
using static OnSram.Workloads.Tests.Support.Params;

namespace OnSram.Workloads.Tests.Models;

public class AlexNetTests
{
    // (filters, kernel) of conv1-conv5 and the FC widths of the single-tower AlexNet.
    private static readonly (int F, int K)[] s_convs = { (64, 11), (192, 5), (384, 3), (256, 3), (256, 3) };
    private static readonly int[] s_fc = { 4096, 4096, 1000 };

    [Fact]
    public void Parameters_SingleTower_MatchArchitectureAndTorchvision()
    {
        long expected = 0, cin = 3;
        foreach (var (f, k) in s_convs)
        {
            expected += Conv(cin, f, k);
            cin = f;
        }
        long fin = 6 * 6 * 256;
        foreach (var u in s_fc)
        {
            expected += Dense(fin, u);
            fin = u;
        }
        var r = Probe.Network("alexnet");
        r.Parameters.Should().Be(expected).And.Be(61_100_840, "torchvision's alexnet count");
        r.TrainableParameters.Should().Be(r.Parameters);
    }

    [Fact]
    public void Forward_Unfused_EmitsConvBiasReluAndThreePools()
    {
        var r = Probe.Network("alexnet");
        r.OutputShape.ToCompactString().Should().Be("[1,1000]");
        r.OpCounts.Should().BeEquivalentTo(new Dictionary<string, int>
        {
            ["Conv2D"] = 5, ["BiasAdd"] = 5 + 3, ["Relu"] = 5 + 2, ["MaxPool"] = 3, ["MatMul"] = 3, ["Softmax"] = 1,
        });
        r.OutputShapes("MaxPool").Should().Equal("[1,27,27,64]", "[1,13,13,192]", "[1,6,6,256]");
        r.OutputShapes("Conv2D")[0].Should().Be("[1,55,55,64]");
        r.InputShapes("MatMul")[0].Should().Be("[1,9216]");
    }

    [Fact]
    public void Forward_Fused_EmitsOneFusedOpPerLayer()
    {
        var r = Probe.Network("alexnet_fused");
        r.OpCounts.Should().BeEquivalentTo(new Dictionary<string, int>
        {
            ["_FusedConv2D"] = 5, ["MaxPool"] = 3, ["_FusedMatMul"] = 3, ["Softmax"] = 1,
        });
        r.FusedOps("_FusedConv2D").Should().AllBe("BiasAdd+Relu");
        r.FusedOps("_FusedMatMul").Should().Equal("BiasAdd+Relu", "BiasAdd+Relu", "BiasAdd");
        r.Parameters.Should().Be(Probe.Network("alexnet").Parameters);
    }
}
