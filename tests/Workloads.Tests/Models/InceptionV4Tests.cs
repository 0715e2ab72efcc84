using OnSram.Workloads.Tests.Support;
using static OnSram.Workloads.Tests.Support.Params;

namespace OnSram.Workloads.Tests.Models;

public class InceptionV4Tests
{
    private static long Cb(long cin, long cout, long kh, long kw) => Conv(cin, cout, kh, kw, bias: false) + BatchNorm(cout, scale: false);

    [Fact]
    public void Parameters_SlimInceptionV4WithoutAux_Are42_7M()
    {
        var stem = Cb(3, 32, 3, 3) + Cb(32, 32, 3, 3) + Cb(32, 64, 3, 3) + Cb(64, 96, 3, 3)
            + Cb(160, 64, 1, 1) + Cb(64, 96, 3, 3) + Cb(160, 64, 1, 1) + Cb(64, 64, 1, 7) + Cb(64, 64, 7, 1) + Cb(64, 96, 3, 3)
            + Cb(192, 192, 3, 3);
        var a = Cb(384, 96, 1, 1) + Cb(384, 64, 1, 1) + Cb(64, 96, 3, 3) + Cb(384, 64, 1, 1) + Cb(64, 96, 3, 3) + Cb(96, 96, 3, 3) + Cb(384, 96, 1, 1);
        var ra = Cb(384, 384, 3, 3) + Cb(384, 192, 1, 1) + Cb(192, 224, 3, 3) + Cb(224, 256, 3, 3);
        var b = Cb(1024, 384, 1, 1) + Cb(1024, 192, 1, 1) + Cb(192, 224, 1, 7) + Cb(224, 256, 7, 1)
            + Cb(1024, 192, 1, 1) + Cb(192, 192, 7, 1) + Cb(192, 224, 1, 7) + Cb(224, 224, 7, 1) + Cb(224, 256, 1, 7) + Cb(1024, 128, 1, 1);
        var rb = Cb(1024, 192, 1, 1) + Cb(192, 192, 3, 3) + Cb(1024, 256, 1, 1) + Cb(256, 256, 1, 7) + Cb(256, 320, 7, 1) + Cb(320, 320, 3, 3);
        var c = Cb(1536, 256, 1, 1) + Cb(1536, 384, 1, 1) + Cb(384, 256, 1, 3) + Cb(384, 256, 3, 1)
            + Cb(1536, 384, 1, 1) + Cb(384, 448, 3, 1) + Cb(448, 512, 1, 3) + Cb(512, 256, 1, 3) + Cb(512, 256, 3, 1) + Cb(1536, 256, 1, 1);
        var expected = stem + 4 * a + ra + 7 * b + rb + 3 * c + Dense(1536, 1000);
        var r = Probe.Network("inception_v4");
        r.Parameters.Should().Be(expected);
        ((double)r.Parameters).Should().BeApproximately(42.7e6, 0.05e6, "published: 42.7 M");
    }

    [Fact]
    public void Forward_Unfused_Emits149ConvolutionsInTheModuleGrid()
    {
        var r = Probe.Network("inception_v4");
        const int convs = 3 + 1 + 6 + 1 + 4 * 7 + 4 + 7 * 10 + 6 + 3 * 10;
        r.OutputShape.ToCompactString().Should().Be("[1,1000]");
        r.OpCounts.Should().BeEquivalentTo(new Dictionary<string, int>
        {
            ["Conv2D"] = convs, ["FusedBatchNormV3"] = convs, ["Relu"] = convs,
            ["MaxPool"] = 4, ["AvgPool"] = 4 + 7 + 3 + 1, ["ConcatV2"] = 3 + 4 + 1 + 7 + 1 + 3 * 3,
            ["MatMul"] = 1, ["BiasAdd"] = 1, ["Softmax"] = 1,
        });
        var grid = r.OutputShapes("ConcatV2").Where(s => s.EndsWith(",384]") || s.EndsWith(",1024]") || s.EndsWith(",1536]") || s.EndsWith(",160]") || s.EndsWith(",192]")).ToArray();
        grid.Should().Equal(new[] { "[1,73,73,160]", "[1,71,71,192]", "[1,35,35,384]" }
            .Concat(Enumerable.Repeat("[1,35,35,384]", 4)).Append("[1,17,17,1024]")
            .Concat(Enumerable.Repeat("[1,17,17,1024]", 7)).Append("[1,8,8,1536]")
            .Concat(Enumerable.Repeat("[1,8,8,1536]", 3)));
        r.OutputShapes("AvgPool")[^1].Should().Be("[1,1,1,1536]");
    }

    [Fact]
    public void Forward_Fused_FoldsEachConvBnReluIntoOneOp()
    {
        var r = Probe.Network("inception_v4_fused");
        r.OpCounts.Should().BeEquivalentTo(new Dictionary<string, int>
        {
            ["_FusedConv2D"] = 149, ["MaxPool"] = 4, ["AvgPool"] = 15, ["ConcatV2"] = 25, ["_FusedMatMul"] = 1, ["Softmax"] = 1,
        });
    }
}
