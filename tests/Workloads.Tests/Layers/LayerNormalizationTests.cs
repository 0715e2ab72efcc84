using OnSram.Workloads.Layers;
using OnSram.Workloads.Tests.Support;
using static OnSram.Workloads.Tests.Support.Reference;

namespace OnSram.Workloads.Tests.Layers;

public class LayerNormalizationTests
{
    [Fact]
    public void Call_EmitsMomentsThenBatchNormalizationPrimitives()
    {
        using var s = Contexts.Meta();
        var x = Input(1, 4, 8);
        var layer = new LayerNormalization(1e-12f);
        layer.Call(x).shape.ToCompactString().Should().Be("[1,4,8]");
        s.Recorder.Ops.Select(o => o.OpType).Should().Equal(
            "Mean", "SquaredDifference", "Mean", "AddV2", "Rsqrt", "Mul", "Mul", "Mul", "Sub", "AddV2");
        s.Recorder.Ops.ElementAt(6).Inputs[0].Id.Should().Be(x.Id, "tf.nn.batch_normalization computes x * inv before beta - mean * inv");
        s.Recorder.Ops.First().Outputs[0].Shape.ToCompactString().Should().Be("[1,4,1]");
        layer.ParameterCount.Should().Be(16);
        s.Context.LiveTensorCount.Should().Be(1 + 2 + 1, "only the input, gamma, beta and the output stay alive");
    }

    [Fact]
    public void Call_Real_NormalizesEachRowOverTheLastAxis()
    {
        using var s = Contexts.Real();
        var layer = new LayerNormalization(1e-3f);
        layer.AssignSeeds(5);
        var x = Input(2, 3, 7);
        var y = layer.Call(x).Values();
        var v = x.Values();
        var gamma = layer.Weight("gamma");
        var beta = layer.Weight("beta");
        var expected = new double[v.Length];
        for (var r = 0; r < 6; r++)
        {
            var row = v.Skip(r * 7).Take(7).ToArray();
            var mean = row.Average();
            var variance = row.Average(e => (e - mean) * (e - mean));
            for (var j = 0; j < 7; j++)
            {
                expected[r * 7 + j] = (row[j] - mean) / Math.Sqrt(variance + 1e-3) * gamma[j] + beta[j];
            }
        }
        y.ShouldBeClose(expected);
    }
}
