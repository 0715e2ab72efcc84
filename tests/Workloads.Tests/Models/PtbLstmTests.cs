using OnSram.Workloads.Tests.Support;
using static OnSram.Workloads.Tests.Support.Params;

namespace OnSram.Workloads.Tests.Models;

public class PtbLstmTests
{
    private const int Vocab = 10000, Hidden = 650, Steps = 35, Layers = 2;

    [Fact]
    public void Parameters_MediumConfig_Are19_8M()
    {
        var expected = (long)Vocab * Hidden + Layers * Lstm(Hidden, Hidden) + Dense(Hidden, Vocab);
        var r = Probe.Network("ptb_lstm");
        r.Parameters.Should().Be(expected).And.Be(19_775_200);
        ((double)r.Parameters).Should().BeApproximately(19.8e6, 0.05e6);
    }

    [Fact]
    public void Forward_TwoLayers_Unroll35StepsOf18Ops()
    {
        var r = Probe.Network("ptb_lstm");
        const int cells = Layers * Steps;
        r.OutputShape.ToCompactString().Should().Be($"[1,{Steps},{Vocab}]");
        r.OpCounts.Should().BeEquivalentTo(new Dictionary<string, int>
        {
            ["GatherV2"] = 1,
            ["StridedSlice"] = cells * 5, ["MatMul"] = cells * 2 + 1, ["AddV2"] = cells * 2, ["BiasAdd"] = cells + 1,
            ["Sigmoid"] = cells * 3, ["Tanh"] = cells * 2, ["Mul"] = cells * 3,
            ["ConcatV2"] = Layers, ["Softmax"] = 1,
        });
        r.TotalOps.Should().Be(1 + cells * 18 + Layers + 3);
        r.OutputShapes("MatMul").Take(2).Should().Equal($"[1,{4 * Hidden}]", $"[1,{4 * Hidden}]");
        r.OutputShapes("MatMul")[^1].Should().Be($"[{Steps},{Vocab}]");
        r.OutputShapes("ConcatV2").Should().Equal($"[1,{Steps},{Hidden}]", $"[1,{Steps},{Hidden}]");
    }

    [Fact]
    public void Forward_LayerByLayer_RunsEveryStepOfLayerOneBeforeLayerTwo()
    {
        var r = Probe.Network("ptb_lstm");
        var matmulInputs = r.Events.Where(e => e.OpType == "MatMul").Select(e => e.Op!.Value.Inputs[1].Id).ToArray();
        var kernelOne = matmulInputs[0];
        var firstOfLayerTwo = Array.FindIndex(matmulInputs, id => id != kernelOne && id != matmulInputs[1]);
        firstOfLayerTwo.Should().Be(2 * Steps, "layer 1 runs its 35 steps (2 MatMuls each) first");
    }
}
