using OnSram.Runtime.Ops;
using OnSram.Runtime.Ops.ArrayOps;
using OnSram.Runtime.Tests.Support;
using static OnSram.Runtime.Binding;
using static OnSram.Runtime.Tests.Ops.ArrayOps.ArrayTestSupport;

namespace OnSram.Runtime.Tests.Ops.ArrayOps;

public sealed class ExpandDimsTests
{
    [Fact]
    public void ExpandDims_EveryValidAxis_InsertsOneAtTensorFlowPosition()
    {
        using var t = new TestContext();
        foreach (var shape in Shapes)
        {
            var rank = shape.ndim;
            foreach (var dtype in new[] { DType.Float32, DType.Bool, DType.Float16, DType.Int32 })
            {
                var x = Input(shape, dtype);
                for (var axis = -rank - 1; axis <= rank; axis++)
                {
                    var y = tf.expand_dims(x, axis);

                    // Plain reference: a negative axis a means position rank + 1 + a.
                    var pos = axis >= 0 ? axis : rank + 1 + axis;
                    var expected = shape.ToArray().ToList();
                    expected.Insert(pos, 1);
                    y.shape.Should().Be(new Shape(expected.ToArray()), $"shape {shape} axis {axis}");
                    y.Id.Should().Be(x.Id);
                    Bytes(y).Should().Equal(Bytes(x));
                }
            }
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-4)]
    public void ExpandDims_AxisOutOfRange_ThrowsNamingRange(int axis)
    {
        using var t = new TestContext();
        var x = Input(new Shape(2, 5), DType.Float32);

        var act = () => tf.expand_dims(x, axis);

        act.Should().Throw<OpException>().Which.Message.Should()
            .Contain("ExpandDims").And.Contain($"{axis}").And.Contain("[-3, 2]").And.Contain("float32[2,5]");
    }

    [Fact]
    public void ExpandDims_IsView_SendsNoEvent()
    {
        using var t = new TestContext();
        var rec = new RecordingObserver();
        var x = Input(new Shape(3), DType.Float32);
        using var _ = t.Context.Attach(rec);

        var y = tf.expand_dims(x, 0);

        y.Id.Should().Be(x.Id);
        rec.Ops.Should().BeEmpty();
    }

    [Fact]
    public void ExpandDims_MetaMode_PlansSameShapeAsRealMode()
    {
        var (real, meta) = BothModes(m => tf.expand_dims(Data(new Shape(4, 3), DType.Float32, m), -1));

        meta.Should().Be(real);
        real.Shape.Should().Be(new Shape(4, 3, 1));
    }

    [Fact]
    public void Plan_UnknownDimWithKnownOutputOfWrongRank_Throws()
    {
        var inv = new OpInvocation("ExpandDims",
            new[] { new TensorSpec(new Shape(4, 3), DType.Float32), new TensorSpec(Shape.Scalar, DType.Int32) },
            OpAttrs.Empty, _ => null, new[] { new TensorSpec(new Shape(12), DType.Float32) });

        var act = () => new ExpandDims().Plan(inv);

        act.Should().Throw<OpException>().WithMessage("*rank 1*rank 3*");
    }
}
