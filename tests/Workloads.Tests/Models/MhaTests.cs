using OnSram.Workloads.Tests.Support;
using static OnSram.Workloads.Tests.Support.Params;

namespace OnSram.Workloads.Tests.Models;

public class MhaTests
{
    private const int Hidden = 768, Heads = 12, Ffn = 3072, Seq = 128;

    [Fact]
    public void Parameters_BertBaseEncoderLayer_Are7_09M()
    {
        var expected = 4 * Dense(Hidden, Hidden) + 2 * (2 * Hidden) + Dense(Hidden, Ffn) + Dense(Ffn, Hidden);
        var r = Probe.Network("mha");
        r.Parameters.Should().Be(expected).And.Be(7_087_872);
        (12 * r.Parameters).Should().Be(85_054_464, "BERT-base's twelve encoder layers hold 85.05 M of its 110 M parameters");
    }

    [Fact]
    public void Forward_OneBlock_EmitsAttentionResidualNormAndFeedForward()
    {
        var r = Probe.Network("mha");
        r.OutputShape.ToCompactString().Should().Be($"[1,{Seq},{Hidden}]");
        const int layerNormMul = 3, layerNormAdd = 2;
        r.OpCounts.Should().BeEquivalentTo(new Dictionary<string, int>
        {
            ["MatMul"] = 6, ["BiasAdd"] = 6, ["Transpose"] = 4, ["BatchMatMulV2"] = 2, ["Softmax"] = 1,
            ["Mul"] = 1 + 2 * layerNormMul + 2, ["AddV2"] = 2 + 2 * layerNormAdd + 1,
            ["Mean"] = 4, ["SquaredDifference"] = 2, ["Rsqrt"] = 2, ["Sub"] = 2, ["RealDiv"] = 1, ["Erf"] = 1,
        });
        r.OutputShapes("BatchMatMulV2").Should().Equal($"[1,{Heads},{Seq},{Seq}]", $"[1,{Heads},{Seq},{Hidden / Heads}]");
        r.OutputShapes("Softmax").Should().Equal($"[1,{Heads},{Seq},{Seq}]");
        r.OutputShapes("MatMul").Should().Equal(
            $"[{Seq},{Hidden}]", $"[{Seq},{Hidden}]", $"[{Seq},{Hidden}]", $"[{Seq},{Hidden}]", $"[{Seq},{Ffn}]", $"[{Seq},{Hidden}]");
        r.OutputShapes("Erf").Should().Equal($"[1,{Seq},{Ffn}]");
        var scores = r.Events.First(e => e.OpType == "BatchMatMulV2").Op!.Value;
        scores.Attrs.TryGet("adj_y", out var adjY).Should().BeTrue();
        adjY.Should().Be(true);
    }
}
