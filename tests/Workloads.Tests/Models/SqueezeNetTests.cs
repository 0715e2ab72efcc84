using OnSram.Workloads.Tests.Support;
using static OnSram.Workloads.Tests.Support.Params;

namespace OnSram.Workloads.Tests.Models;

public class SqueezeNetTests
{
    private static readonly (int Squeeze, int Expand)[] s_fires = { (16, 64), (16, 64), (32, 128), (32, 128), (48, 192), (48, 192), (64, 256), (64, 256) };

    [Fact]
    public void Parameters_SqueezeNet1_0_Match1_25M()
    {
        long p = Conv(3, 96, 7), cin = 96;
        foreach (var (s, e) in s_fires)
        {
            p += Conv(cin, s, 1) + Conv(s, e, 1) + Conv(s, e, 3);
            cin = 2 * e;
        }
        p += Conv(cin, 1000, 1);
        Probe.Network("squeezenet").Parameters.Should().Be(p).And.Be(1_248_424, "torchvision squeezenet1_0 parameters");
    }

    [Fact]
    public void Forward_Unfused_EmitsEightFireModules()
    {
        var r = Probe.Network("squeezenet");
        var convs = 1 + 3 * s_fires.Length + 1;
        r.OutputShape.ToCompactString().Should().Be("[1,1000]");
        r.OpCounts.Should().BeEquivalentTo(new Dictionary<string, int>
        {
            ["Conv2D"] = convs, ["BiasAdd"] = convs, ["Relu"] = convs, ["MaxPool"] = 3, ["ConcatV2"] = s_fires.Length, ["Mean"] = 1, ["Softmax"] = 1,
        });
        r.OutputShapes("MaxPool").Should().Equal("[1,55,55,96]", "[1,27,27,256]", "[1,13,13,512]");
        r.OutputShapes("Conv2D")[0].Should().Be("[1,111,111,96]");
        r.OutputShapes("Conv2D")[^1].Should().Be("[1,13,13,1000]");
    }

    [Fact]
    public void Forward_Fused_EmitsFusedConvolutions()
    {
        var r = Probe.Network("squeezenet_fused");
        r.OpCounts.Should().BeEquivalentTo(new Dictionary<string, int>
        {
            ["_FusedConv2D"] = 26, ["MaxPool"] = 3, ["ConcatV2"] = 8, ["Mean"] = 1, ["Softmax"] = 1,
        });
    }
}
