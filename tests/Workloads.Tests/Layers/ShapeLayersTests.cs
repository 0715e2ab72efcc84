using OnSram.Workloads.Layers;
using OnSram.Workloads.Tests.Support;
using static OnSram.Workloads.Tests.Support.Reference;

namespace OnSram.Workloads.Tests.Layers;

public class ShapeLayersTests
{
    [Fact]
    public void Flatten_IsAViewWithoutEvents()
    {
        using var s = Contexts.Meta();
        var x = Input(1, 2, 3, 4);
        var y = new Flatten().Call(x);
        y.shape.ToCompactString().Should().Be("[1,24]");
        y.Id.Should().Be(x.Id, "Reshape is a view of its input");
        s.Recorder.Ops.Should().BeEmpty();
    }

    [Fact]
    public void Reshape_KeepsTheBatchDimension()
    {
        using var s = Contexts.Meta();
        new Reshape(new long[] { 6, -1 }).Call(Input(2, 3, 4)).shape.ToCompactString().Should().Be("[2,6,2]");
    }

    [Fact]
    public void Reshape_TwoUnknownDimensions_Throws()
    {
        var act = () => new Reshape(new long[] { -1, -1 });
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Dropout_AtInference_IsAnIdentityView()
    {
        using var s = Contexts.Meta();
        var x = Input(1, 5);
        var y = new Dropout(0.5).Call(x);
        y.Id.Should().Be(x.Id);
        y.Should().NotBeSameAs(x, "the view is its own handle, so releasing the input keeps it alive");
        s.Recorder.Ops.Should().BeEmpty();
    }

    [Fact]
    public void Dropout_RateOfOne_Throws()
    {
        var act = () => new Dropout(1.0);
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void ZeroPadding2D_EmitsPadOnTheSpatialDimensions()
    {
        using var s = Contexts.Meta();
        new ZeroPadding2D((0, 1), (2, 3)).Call(Input(1, 4, 4, 2)).shape.ToCompactString().Should().Be("[1,5,9,2]");
        var op = s.Recorder.Ops.Single();
        op.OpType.Should().Be("Pad");
        op.Inputs[1].Shape.ToCompactString().Should().Be("[4,2]");
    }

    [Fact]
    public void ZeroPadding2D_Real_SurroundsTheInputWithZeros()
    {
        using var s = Contexts.Real();
        var x = Input(1, 2, 2, 1);
        var y = new ZeroPadding2D(1).Call(x).Values();
        var v = x.Values();
        y.Should().HaveCount(16);
        y.Where((_, i) => i / 4 is 0 or 3 || i % 4 is 0 or 3).Should().OnlyContain(e => e == 0);
        new[] { y[5], y[6], y[9], y[10] }.Should().Equal(v.Select(e => (double)(float)e));
    }
}
