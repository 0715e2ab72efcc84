using OnSram.Workloads.Layers;
using OnSram.Workloads.Tests.Support;
using static OnSram.Workloads.Tests.Support.Reference;

namespace OnSram.Workloads.Tests.Layers;

public class PoolingTests
{
    [Fact]
    public void MaxPooling2D_DefaultStrides_AreThePoolSize()
    {
        using var s = Contexts.Meta();
        new MaxPooling2D(3).Call(Input(1, 10, 9, 2)).shape.ToCompactString().Should().Be("[1,3,3,2]");
        s.Recorder.Ops.Single().Attrs.CanonicalKey.Should().Be("data_format=NHWC;ksize=[1,3,3,1];padding=VALID;strides=[1,3,3,1]");
    }

    [Fact]
    public void AveragePooling2D_SameStrideOne_KeepsTheSize()
    {
        using var s = Contexts.Meta();
        new AveragePooling2D(3, 1, "same").Call(Input(1, 5, 4, 2)).shape.ToCompactString().Should().Be("[1,5,4,2]");
        s.Recorder.Ops.Single().OpType.Should().Be("AvgPool");
    }

    [Theory]
    [InlineData(false, "[1,3]")]
    [InlineData(true, "[1,1,1,3]")]
    public void GlobalAveragePooling2D_EmitsMeanOverHeightAndWidth(bool keepdims, string shape)
    {
        using var s = Contexts.Meta();
        new GlobalAveragePooling2D(keepdims).Call(Input(1, 4, 5, 3)).shape.ToCompactString().Should().Be(shape);
        var op = s.Recorder.Ops.Single();
        op.OpType.Should().Be("Mean");
        op.Inputs[1].Shape.ToCompactString().Should().Be("[2]", "the reduction axes [1, 2]");
        op.Attrs.CanonicalKey.Should().Contain($"keep_dims={(keepdims ? "true" : "false")}");
    }

    [Fact]
    public void Pools_Real_ComputeMaxAverageAndGlobalMean()
    {
        using var s = Contexts.Real();
        var x = Input(1, 4, 4, 2);
        var v = x.Values();
        double At(int h, int w, int c) => v[(h * 4 + w) * 2 + c];
        var max = new MaxPooling2D(2).Call(x).Values();
        var avg = new AveragePooling2D(2).Call(x).Values();
        var gap = new GlobalAveragePooling2D().Call(x).Values();
        for (var c = 0; c < 2; c++)
        {
            max[c].Should().BeApproximately(new[] { At(0, 0, c), At(0, 1, c), At(1, 0, c), At(1, 1, c) }.Max(), 1e-6);
            avg[c].Should().BeApproximately((At(0, 0, c) + At(0, 1, c) + At(1, 0, c) + At(1, 1, c)) / 4, 1e-6);
            gap[c].Should().BeApproximately(Enumerable.Range(0, 16).Average(i => v[i * 2 + c]), 1e-6);
        }
    }

    [Fact]
    public void AveragePooling2D_RealSame_ExcludesPaddingFromTheCount()
    {
        using var s = Contexts.Real();
        var x = Input(1, 3, 3, 1);
        var v = x.Values();
        var y = new AveragePooling2D(3, 1, "same").Call(x).Values();
        y[0].Should().BeApproximately((v[0] + v[1] + v[3] + v[4]) / 4, 1e-6, "the corner window holds 4 real values");
    }
}
