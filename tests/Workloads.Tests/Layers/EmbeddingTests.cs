using OnSram.Runtime;
using OnSram.Workloads.Layers;
using OnSram.Workloads.Tests.Support;
using static OnSram.Runtime.Binding;
using static OnSram.Workloads.Tests.Support.Reference;

namespace OnSram.Workloads.Tests.Layers;

public class EmbeddingTests
{
    [Fact]
    public void Call_Ids_EmitsOneGatherV2()
    {
        using var s = Contexts.Meta();
        var layer = new Embedding(50, 6);
        layer.Call(tf.constant(new[] { 1, 2, 3, 4 }, new Shape(2, 2))).shape.ToCompactString().Should().Be("[2,2,6]");
        s.Recorder.Ops.Single().OpType.Should().Be("GatherV2");
        layer.ParameterCount.Should().Be(300);
    }

    [Fact]
    public void Call_FloatIds_Throws()
    {
        using var s = Contexts.Meta();
        var act = () => new Embedding(50, 6).Call(Input(1, 3));
        act.Should().Throw<ArgumentException>().WithMessage("*integer ids*");
    }

    [Fact]
    public void Call_Real_ReturnsTheTableRows()
    {
        using var s = Contexts.Real();
        var layer = new Embedding(10, 3);
        layer.AssignSeeds(1);
        var y = layer.Call(tf.constant(new[] { 7, 0, 7 }, new Shape(1, 3))).Values();
        var table = layer.Weight("embeddings");
        y.Should().Equal(table.Skip(21).Take(3).Concat(table.Take(3)).Concat(table.Skip(21).Take(3)));
        table.Should().OnlyContain(v => v >= -0.05 && v < 0.05);
    }
}
