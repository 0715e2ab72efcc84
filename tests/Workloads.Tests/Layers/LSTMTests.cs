using OnSram.Workloads.Layers;
using OnSram.Workloads.Tests.Support;
using static OnSram.Workloads.Tests.Support.Reference;

namespace OnSram.Workloads.Tests.Layers;

public class LSTMTests
{
    [Fact]
    public void Call_OneStep_EmitsTheKerasCellOpsInOrder()
    {
        using var s = Contexts.Meta();
        new LSTM(5).Call(Input(1, 1, 3)).shape.ToCompactString().Should().Be("[1,5]");
        s.Recorder.Ops.Select(o => o.OpType).Should().Equal(
            "StridedSlice", "MatMul", "MatMul", "AddV2", "BiasAdd",
            "StridedSlice", "StridedSlice", "StridedSlice", "StridedSlice",
            "Sigmoid", "Sigmoid", "Mul", "Tanh", "Mul", "AddV2", "Sigmoid", "Tanh", "Mul");
        LSTM.OpsPerStep.Should().Be(18);
    }

    [Theory]
    [InlineData(false, "[2,5]", 0)]
    [InlineData(true, "[2,4,5]", 1)]
    public void Call_FourSteps_EmitsEighteenOpsAStepAndJoinsSequences(bool sequences, string shape, int concats)
    {
        using var s = Contexts.Meta();
        var layer = new LSTM(5, return_sequences: sequences);
        var x = Input(2, 4, 3);
        var y = layer.Call(x);
        y.shape.ToCompactString().Should().Be(shape);
        var counts = s.Recorder.CountByType();
        counts.Values.Sum().Should().Be(4 * LSTM.OpsPerStep + concats);
        counts.GetValueOrDefault("ConcatV2").Should().Be(concats);
        layer.ParameterCount.Should().Be(4 * 5 * (3 + 5) + 4 * 5);
        s.Context.LiveTensorCount.Should().Be(1 + 3 + 1, "states and gates of every step are released");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Call_Real_MatchesANaiveLstm(bool sequences)
    {
        using var s = Contexts.Real();
        const int steps = 3, d = 4, u = 5;
        var layer = new LSTM(u, return_sequences: sequences);
        layer.AssignSeeds(21);
        var x = Input(1, steps, d);
        var y = layer.Call(x).Values();
        var xv = x.Values();
        var w = layer.Weight("kernel");
        var r = layer.Weight("recurrent_kernel");
        var b = layer.Weight("bias");
        var h = new double[u];
        var c = new double[u];
        var all = new List<double>();
        for (var t = 0; t < steps; t++)
        {
            var z = new double[4 * u];
            for (var j = 0; j < 4 * u; j++)
            {
                z[j] = b[j];
                for (var k = 0; k < d; k++)
                {
                    z[j] += xv[t * d + k] * w[k * 4 * u + j];
                }
                for (var k = 0; k < u; k++)
                {
                    z[j] += h[k] * r[k * 4 * u + j];
                }
            }
            for (var j = 0; j < u; j++)
            {
                var i = Sigmoid(z[j]);
                var f = Sigmoid(z[u + j]);
                var g = Math.Tanh(z[2 * u + j]);
                var o = Sigmoid(z[3 * u + j]);
                c[j] = f * c[j] + i * g;
                h[j] = o * Math.Tanh(c[j]);
            }
            all.AddRange(h);
        }
        y.ShouldBeClose(sequences ? all.ToArray() : h);
    }
}
