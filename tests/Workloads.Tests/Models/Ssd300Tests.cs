using OnSram.Workloads.Tests.Support;
using static OnSram.Workloads.Tests.Support.Params;

namespace OnSram.Workloads.Tests.Models;

public class Ssd300Tests
{
    // Sources: (channels, spatial size, default boxes per location).
    private static readonly (int C, int Size, int Boxes)[] s_sources = { (512, 38, 4), (1024, 19, 6), (512, 10, 6), (256, 5, 6), (256, 3, 4), (256, 1, 4) };

    [Fact]
    public void Parameters_Ssd300Voc_Match26_3M()
    {
        long p = 0, cin = 3;
        foreach (var f in new[] { 64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512 })
        {
            p += Conv(cin, f, 3);
            cin = f;
        }
        p += Conv(512, 1024, 3) + Conv(1024, 1024, 1) + 512;
        p += Conv(1024, 256, 1) + Conv(256, 512, 3) + Conv(512, 128, 1) + Conv(128, 256, 3)
            + Conv(256, 128, 1) + Conv(128, 256, 3) + Conv(256, 128, 1) + Conv(128, 256, 3);
        foreach (var (c, _, boxes) in s_sources)
        {
            p += Conv(c, boxes * 4, 3) + Conv(c, boxes * 21, 3);
        }
        Probe.Network("ssd300").Parameters.Should().Be(p).And.Be(26_285_486, "ssd.pytorch SSD300 VOC parameters");
    }

    [Fact]
    public void Forward_Unfused_Predicts8732BoxesFromSixSources()
    {
        var r = Probe.Network("ssd300");
        var boxes = s_sources.Sum(s => s.Size * s.Size * s.Boxes);
        boxes.Should().Be(8732);
        r.OutputShape.ToCompactString().Should().Be($"[1,{boxes},25]");
        const int backbone = 13 + 2 + 8;
        var heads = 2 * s_sources.Length;
        r.OpCounts.Should().BeEquivalentTo(new Dictionary<string, int>
        {
            ["Conv2D"] = backbone + heads, ["BiasAdd"] = backbone + heads, ["Relu"] = backbone, ["MaxPool"] = 5,
            ["Square"] = 1, ["Sum"] = 1, ["Maximum"] = 1, ["Rsqrt"] = 1, ["Mul"] = 2,
            ["ConcatV2"] = 3, ["Softmax"] = 1,
        });
        var headInputs = r.InputShapes("Conv2D").Skip(backbone).ToArray();
        headInputs.Should().Equal(s_sources.SelectMany(s => Enumerable.Repeat($"[1,{s.Size},{s.Size},{s.C}]", 2)));
        r.OutputShapes("ConcatV2").Should().Equal($"[1,{boxes * 4}]", $"[1,{boxes * 21}]", $"[1,{boxes},25]");
        var fc6 = r.Events.Where(e => e.OpType == "Conv2D").Select(e => e.Op!.Value).Single(o => o.Outputs[0].Shape[3] == 1024 && o.Inputs[1].Shape[0] == 3);
        ((long[])fc6.Attrs.Single(a => a.Key == "dilations").Value).Should().Equal(1, 6, 6, 1);
    }

    [Fact]
    public void Forward_Fused_FusesBackboneAndHeadConvolutions()
    {
        var r = Probe.Network("ssd300_fused");
        r.OpCounts.Should().BeEquivalentTo(new Dictionary<string, int>
        {
            ["_FusedConv2D"] = 35, ["MaxPool"] = 5, ["Square"] = 1, ["Sum"] = 1, ["Maximum"] = 1, ["Rsqrt"] = 1, ["Mul"] = 2,
            ["ConcatV2"] = 3, ["Softmax"] = 1,
        });
        var ops = r.FusedOps("_FusedConv2D");
        ops.Count(o => o == "BiasAdd+Relu").Should().Be(23);
        ops.Count(o => o == "BiasAdd").Should().Be(12);
    }
}
