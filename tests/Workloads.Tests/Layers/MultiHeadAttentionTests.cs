using OnSram.Workloads.Layers;
using OnSram.Workloads.Tests.Support;
using static OnSram.Workloads.Tests.Support.Reference;

namespace OnSram.Workloads.Tests.Layers;

public class MultiHeadAttentionTests
{
    [Fact]
    public void Call_EmitsBertAttentionOpsInOrder()
    {
        using var s = Contexts.Meta();
        var layer = new MultiHeadAttention(num_heads: 2, key_dim: 4);
        layer.Call(Input(1, 5, 8)).shape.ToCompactString().Should().Be("[1,5,8]");
        s.Recorder.Ops.Select(o => o.OpType).Should().Equal(
            "MatMul", "BiasAdd", "MatMul", "BiasAdd", "MatMul", "BiasAdd",
            "Transpose", "Transpose", "BatchMatMulV2", "Mul", "Softmax", "Transpose", "BatchMatMulV2", "Transpose",
            "MatMul", "BiasAdd");
        s.Recorder.Ops.Single(o => o.OpType == "Softmax").Outputs[0].Shape.ToCompactString().Should().Be("[1,2,5,5]");
        layer.ParameterCount.Should().Be(4 * (8 * 8 + 8));
        s.Context.LiveTensorCount.Should().Be(1 + 8 + 1, "every intermediate of the attention is released");
    }

    [Fact]
    public void Call_Real_MatchesScaledDotProductAttentionPerHead()
    {
        using var s = Contexts.Real();
        const int seq = 5, hidden = 6, heads = 2, d = 3;
        var layer = new MultiHeadAttention(heads, d);
        layer.AssignSeeds(13);
        var x = Input(1, seq, hidden);
        var y = layer.Call(x).Values();
        double[] Project(Layer dense, double[] input, int inWidth) =>
            AddChannel(MatMul(input, seq, inWidth, dense.Weight("kernel"), dense.WeightShape("kernel")[1]), dense.Weight("bias"));
        var xv = x.Values();
        var q = Project(layer.Sublayers[0], xv, hidden);
        var k = Project(layer.Sublayers[1], xv, hidden);
        var v = Project(layer.Sublayers[2], xv, hidden);
        var context = new double[seq * heads * d];
        for (var h = 0; h < heads; h++)
        {
            var scores = new double[seq * seq];
            for (var i = 0; i < seq; i++)
            for (var j = 0; j < seq; j++)
            {
                for (var e = 0; e < d; e++)
                {
                    scores[i * seq + j] += q[i * heads * d + h * d + e] * k[j * heads * d + h * d + e];
                }
                scores[i * seq + j] /= Math.Sqrt(d);
            }
            var p = Softmax(scores, seq);
            for (var i = 0; i < seq; i++)
            for (var e = 0; e < d; e++)
            for (var j = 0; j < seq; j++)
            {
                context[i * heads * d + h * d + e] += p[i * seq + j] * v[j * heads * d + h * d + e];
            }
        }
        y.ShouldBeClose(Project(layer.Sublayers[3], context, heads * d));
    }

    [Fact]
    public void Constructor_NonPositiveHeads_Throws()
    {
        var act = () => new MultiHeadAttention(0, 64);
        act.Should().Throw<ArgumentException>();
    }
}
