using OnSram.Workloads.Tests.Support;
using static OnSram.Workloads.Tests.Support.Params;

namespace OnSram.Workloads.Tests.Models;

public class GoogLeNetTests
{
    // Table 1 of Szegedy et al. 2015: #1x1, #3x3 reduce, #3x3, #5x5 reduce, #5x5, pool proj.
    private static readonly int[][] s_table =
    {
        new[] { 64, 96, 128, 16, 32, 32 }, new[] { 128, 128, 192, 32, 96, 64 },
        new[] { 192, 96, 208, 16, 48, 64 }, new[] { 160, 112, 224, 24, 64, 64 }, new[] { 128, 128, 256, 24, 64, 64 },
        new[] { 112, 144, 288, 32, 64, 64 }, new[] { 256, 160, 320, 32, 128, 128 },
        new[] { 256, 160, 320, 32, 128, 128 }, new[] { 384, 192, 384, 48, 128, 128 },
    };

    [Fact]
    public void Parameters_TableOneWithoutAuxHeads_AreAbout6_8M()
    {
        long expected = Conv(3, 64, 7) + Conv(64, 64, 1) + Conv(64, 192, 3);
        long cin = 192;
        foreach (var m in s_table)
        {
            expected += Conv(cin, m[0], 1) + Conv(cin, m[1], 1) + Conv(m[1], m[2], 3) + Conv(cin, m[3], 1) + Conv(m[3], m[4], 5) + Conv(cin, m[5], 1);
            cin = m[0] + m[2] + m[4] + m[5];
        }
        expected += Dense(cin, 1000);
        var r = Probe.Network("googlenet");
        r.Parameters.Should().Be(expected);
        // The paper's Table 1 sums to about 6.8 M; its per-layer figures omit the biases.
        ((double)r.Parameters).Should().BeApproximately(6.8e6, 0.05 * 6.8e6);
    }

    [Fact]
    public void Forward_Unfused_EmitsNineInceptionModules()
    {
        var r = Probe.Network("googlenet");
        var convs = 3 + 6 * s_table.Length;
        r.OutputShape.ToCompactString().Should().Be("[1,1000]");
        r.OpCounts.Should().BeEquivalentTo(new Dictionary<string, int>
        {
            ["Conv2D"] = convs, ["BiasAdd"] = convs + 1, ["Relu"] = convs, ["LRN"] = 2,
            ["MaxPool"] = 4 + s_table.Length, ["ConcatV2"] = s_table.Length, ["AvgPool"] = 1, ["MatMul"] = 1, ["Softmax"] = 1,
        });
        r.OutputShapes("ConcatV2").Should().Equal(
            "[1,28,28,256]", "[1,28,28,480]", "[1,14,14,512]", "[1,14,14,512]", "[1,14,14,512]", "[1,14,14,528]",
            "[1,14,14,832]", "[1,7,7,832]", "[1,7,7,1024]");
        r.OutputShapes("AvgPool").Should().Equal("[1,1,1,1024]");
    }

    [Fact]
    public void Forward_Fused_KeepsLrnPoolsAndConcats()
    {
        var r = Probe.Network("googlenet_fused");
        r.OpCounts.Should().BeEquivalentTo(new Dictionary<string, int>
        {
            ["_FusedConv2D"] = 57, ["LRN"] = 2, ["MaxPool"] = 13, ["ConcatV2"] = 9, ["AvgPool"] = 1, ["_FusedMatMul"] = 1, ["Softmax"] = 1,
        });
        r.FusedOps("_FusedConv2D").Should().AllBe("BiasAdd+Relu");
    }
}
