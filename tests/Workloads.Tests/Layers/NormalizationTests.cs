using OnSram.Workloads.Layers;
using OnSram.Workloads.Tests.Support;
using static OnSram.Workloads.Tests.Support.Reference;

namespace OnSram.Workloads.Tests.Layers;

/// <summary><see cref="L2Normalization"/> and <see cref="LocalResponseNormalization"/>.</summary>
public class NormalizationTests
{
    [Fact]
    public void L2Normalization_EmitsL2NormalizeThenScale()
    {
        using var s = Contexts.Meta();
        var layer = new L2Normalization();
        layer.Call(Input(1, 3, 3, 4));
        s.Recorder.Ops.Select(o => o.OpType).Should().Equal("Square", "Sum", "Maximum", "Rsqrt", "Mul", "Mul");
        layer.ParameterCount.Should().Be(4);
        s.Context.LiveTensorCount.Should().Be(3);
    }

    [Fact]
    public void L2Normalization_Real_GivesUnitNormTimesGamma()
    {
        using var s = Contexts.Real();
        var layer = new L2Normalization(20);
        layer.AssignSeeds(3);
        var x = Input(1, 2, 2, 3);
        var y = layer.Call(x).Values();
        var v = x.Values();
        var gamma = layer.Weight("gamma");
        gamma.Should().OnlyContain(g => Math.Abs(g - 20) < 1);
        var expected = new double[v.Length];
        for (var p = 0; p < 4; p++)
        {
            var norm = Math.Sqrt(v.Skip(p * 3).Take(3).Sum(e => e * e));
            for (var c = 0; c < 3; c++)
            {
                expected[p * 3 + c] = v[p * 3 + c] / norm * gamma[c];
            }
        }
        y.ShouldBeClose(expected);
    }

    [Fact]
    public void LocalResponseNormalization_Real_MatchesTheChannelWindowFormula()
    {
        using var s = Contexts.Real();
        var x = Input(1, 1, 2, 6);
        var y = new LocalResponseNormalization(depth_radius: 2, bias: 1, alpha: 2e-1f, beta: 0.75f).Call(x).Values();
        s.Recorder.Ops.Single().OpType.Should().Be("LRN");
        var v = x.Values();
        var expected = new double[v.Length];
        for (var i = 0; i < v.Length; i++)
        {
            int c = i % 6, row = i - c;
            var sq = Enumerable.Range(Math.Max(0, c - 2), Math.Min(5, c + 2) - Math.Max(0, c - 2) + 1).Sum(j => v[row + j] * v[row + j]);
            expected[i] = v[i] / Math.Pow(1 + 0.2 * sq, 0.75);
        }
        y.ShouldBeClose(expected, 1e-5);
    }
}
