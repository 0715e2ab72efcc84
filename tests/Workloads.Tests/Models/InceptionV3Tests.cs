using OnSram.Workloads.Tests.Support;
using static OnSram.Workloads.Tests.Support.Params;

namespace OnSram.Workloads.Tests.Models;

public class InceptionV3Tests
{
    /// <summary>Keras's conv2d_bn: convolution without bias, batch norm without scale.</summary>
    private static long Cb(long cin, long cout, long kh, long kw) => Conv(cin, cout, kh, kw, bias: false) + BatchNorm(cout, scale: false);

    [Fact]
    public void Parameters_KerasInceptionV3_Match23_85M()
    {
        var p = Cb(3, 32, 3, 3) + Cb(32, 32, 3, 3) + Cb(32, 64, 3, 3) + Cb(64, 80, 1, 1) + Cb(80, 192, 3, 3);
        long cin = 192;
        foreach (var pool in new[] { 32, 64, 64 })
        {
            p += Cb(cin, 64, 1, 1) + Cb(cin, 48, 1, 1) + Cb(48, 64, 5, 5) + Cb(cin, 64, 1, 1) + Cb(64, 96, 3, 3) + Cb(96, 96, 3, 3) + Cb(cin, pool, 1, 1);
            cin = 64 + 64 + 96 + pool;
        }
        p += Cb(cin, 384, 3, 3) + Cb(cin, 64, 1, 1) + Cb(64, 96, 3, 3) + Cb(96, 96, 3, 3);
        cin = 384 + 96 + cin;
        foreach (var c7 in new[] { 128, 160, 160, 192 })
        {
            p += Cb(cin, 192, 1, 1) + Cb(cin, c7, 1, 1) + Cb(c7, c7, 1, 7) + Cb(c7, 192, 7, 1)
                + Cb(cin, c7, 1, 1) + Cb(c7, c7, 7, 1) + Cb(c7, c7, 1, 7) + Cb(c7, c7, 7, 1) + Cb(c7, 192, 1, 7) + Cb(cin, 192, 1, 1);
        }
        p += Cb(cin, 192, 1, 1) + Cb(192, 320, 3, 3) + Cb(cin, 192, 1, 1) + Cb(192, 192, 1, 7) + Cb(192, 192, 7, 1) + Cb(192, 192, 3, 3);
        cin = 320 + 192 + cin;
        for (var i = 0; i < 2; i++)
        {
            p += Cb(cin, 320, 1, 1) + Cb(cin, 384, 1, 1) + Cb(384, 384, 1, 3) + Cb(384, 384, 3, 1)
                + Cb(cin, 448, 1, 1) + Cb(448, 384, 3, 3) + Cb(384, 384, 1, 3) + Cb(384, 384, 3, 1) + Cb(cin, 192, 1, 1);
            cin = 320 + 768 + 768 + 192;
        }
        p += Dense(cin, 1000);
        var r = Probe.Network("inception_v3");
        r.Parameters.Should().Be(p).And.Be(23_851_784, "Keras InceptionV3 total params");
        r.TrainableParameters.Should().Be(23_817_352, "Keras InceptionV3 trainable params");
    }

    [Fact]
    public void Forward_Unfused_Emits94ConvBnReluTriples()
    {
        var r = Probe.Network("inception_v3");
        const int convs = 5 + 3 * 7 + 4 + 4 * 10 + 6 + 2 * 9;
        r.OutputShape.ToCompactString().Should().Be("[1,1000]");
        r.OpCounts.Should().BeEquivalentTo(new Dictionary<string, int>
        {
            ["Conv2D"] = convs, ["FusedBatchNormV3"] = convs, ["Relu"] = convs,
            ["MaxPool"] = 2 + 1 + 1, ["AvgPool"] = 3 + 4 + 2, ["ConcatV2"] = 11 + 2 * 2,
            ["Mean"] = 1, ["MatMul"] = 1, ["BiasAdd"] = 1, ["Softmax"] = 1,
        });
        var modules = r.OutputShapes("ConcatV2").Where(s => s.EndsWith(",256]") || s.EndsWith(",288]") || s.EndsWith(",768]") && s.StartsWith("[1,17") || s.EndsWith(",1280]") || s.EndsWith(",2048]")).ToArray();
        modules.Should().Equal("[1,35,35,256]", "[1,35,35,288]", "[1,35,35,288]", "[1,17,17,768]", "[1,17,17,768]", "[1,17,17,768]",
            "[1,17,17,768]", "[1,17,17,768]", "[1,8,8,1280]", "[1,8,8,2048]", "[1,8,8,2048]");
        r.OutputShapes("Mean").Should().Equal("[1,2048]");
    }

    [Fact]
    public void Forward_Fused_FoldsEachConvBnReluIntoOneOp()
    {
        var r = Probe.Network("inception_v3_fused");
        r.OpCounts.Should().BeEquivalentTo(new Dictionary<string, int>
        {
            ["_FusedConv2D"] = 94, ["MaxPool"] = 4, ["AvgPool"] = 9, ["ConcatV2"] = 15, ["Mean"] = 1, ["_FusedMatMul"] = 1, ["Softmax"] = 1,
        });
        r.FusedOps("_FusedConv2D").Should().AllBe("FusedBatchNorm+Relu");
        r.Parameters.Should().Be(23_851_784);
    }
}
