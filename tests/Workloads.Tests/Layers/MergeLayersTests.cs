using OnSram.Workloads.Layers;
using OnSram.Workloads.Tests.Support;
using static OnSram.Workloads.Tests.Support.Reference;

namespace OnSram.Workloads.Tests.Layers;

public class MergeLayersTests
{
    [Fact]
    public void Add_ThreeInputs_EmitsTwoAddV2AndReleasesThePartialSum()
    {
        using var s = Contexts.Meta();
        var xs = new[] { Input(1, 3), Input(1, 3), Input(1, 3) };
        new Add().Call(xs);
        s.Recorder.Ops.Select(o => o.OpType).Should().Equal("AddV2", "AddV2");
        var partial = s.Recorder.Ops.First().Outputs[0].Id;
        s.Recorder.Released.Should().Equal(partial);
        xs.Should().OnlyContain(x => !x.IsDisposed);
    }

    [Fact]
    public void Concatenate_EmitsConcatV2WithNAndTheAxis()
    {
        using var s = Contexts.Meta();
        var y = new Concatenate().Call(new[] { Input(1, 2, 2, 3), Input(1, 2, 2, 5) });
        y.shape.ToCompactString().Should().Be("[1,2,2,8]");
        var op = s.Recorder.Ops.Single();
        op.OpType.Should().Be("ConcatV2");
        op.Attrs.CanonicalKey.Should().Be("N=2");
        op.Inputs.Should().HaveCount(3);
    }

    [Fact]
    public void Merge_OneInput_ThrowsNamingTheLayer()
    {
        using var s = Contexts.Meta();
        var act = () => new Concatenate(name: "cat").Call(new[] { Input(1, 2) });
        act.Should().Throw<ArgumentException>().WithMessage("*'cat'*at least 2*");
    }

    [Fact]
    public void Merge_CalledWithOneTensor_ThrowsPointingToTheListOverload()
    {
        using var s = Contexts.Meta();
        Layer add = new Add(name: "sum");
        var act = () => add.Call(Input(1, 2));
        act.Should().Throw<InvalidOperationException>().WithMessage("*'sum'*Call(inputs)*");
    }

    [Fact]
    public void Merges_Real_AddAndConcatenate()
    {
        using var s = Contexts.Real();
        var a = Input(2, 3);
        var b = Input(2, 2);
        var sum = new Add().Call(new[] { a, a }).Values();
        sum.ShouldBeClose(a.Values().Select(v => 2 * v).ToArray());
        var cat = new Concatenate().Call(new[] { a, b }).Values();
        var av = a.Values();
        var bv = b.Values();
        cat.ShouldBeClose(new[] { av[0], av[1], av[2], bv[0], bv[1], av[3], av[4], av[5], bv[2], bv[3] });
    }
}
