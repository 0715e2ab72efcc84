using OnSram.Runtime.Ops;
using OnSram.Runtime.Ops.ArrayOps;
using OnSram.Runtime.Tests.Support;
using static OnSram.Runtime.Binding;
using static OnSram.Runtime.Tests.Ops.ArrayOps.ArrayTestSupport;

namespace OnSram.Runtime.Tests.Ops.ArrayOps;

public sealed class GatherV2Tests
{
    private static Tensor Indices(Shape shape, long limit, DType dtype, int seed)
    {
        var rng = new Random(seed);
        var values = Enumerable.Range(0, (int)shape.size).Select(_ => (long)rng.Next((int)limit)).ToArray();
        return dtype == DType.Int64 ? tf.constant(values, shape) : tf.constant(values.Select(v => (int)v).ToArray(), shape);
    }

    [Fact]
    public void Gather_IndicesOfAnyRankOnEveryAxis_MatchesReference()
    {
        using var t = new TestContext();
        var paramShapes = new[] { new Shape(6L), new Shape(5L, 3L), new Shape(2L, 4L, 3L), new Shape(3L, 2L, 1L, 4L) };
        var indexShapes = new[] { Shape.Scalar, new Shape(4L), new Shape(2L, 3L), new Shape(0L) };
        var seed = 0;
        foreach (var ps in paramShapes)
        {
            foreach (var dtype in AllDTypes)
            {
                var p = Input(ps, dtype, seed: 5);
                for (var axis = -ps.ndim; axis < ps.ndim; axis++)
                {
                    var a = axis < 0 ? axis + ps.ndim : axis;
                    foreach (var ish in indexShapes)
                    {
                        var indexType = seed % 2 == 0 ? DType.Int32 : DType.Int64;
                        var ix = Indices(ish, ps[a], indexType, seed++);
                        var iv = ix.ToDoubleArray();

                        var y = tf.gather(p, ix, axis);

                        var outDims = ps.ToArray()[..a].Concat(ish.ToArray()).Concat(ps.ToArray()[(a + 1)..]).ToArray();
                        var outShape = new Shape(outDims);
                        y.shape.Should().Be(outShape);
                        var expected = Reference(outShape, p, o =>
                        {
                            var pos = o[a..(a + ish.ndim)];
                            var at = (long)iv[Flat(pos, ish)];
                            return o[..a].Append(at).Concat(o[(a + ish.ndim)..]).ToArray();
                        });
                        Bytes(y).Should().Equal(expected, $"{dtype.Name()}{ps.ToCompactString()} axis {axis} indices {ish.ToCompactString()}");
                    }
                }
            }
        }
    }

    [Fact]
    public void Gather_TwoDimensionalIndices_GivesExpectedRows()
    {
        using var t = new TestContext();
        var p = tf.constant(new[] { 10f, 11f, 20f, 21f, 30f, 31f }, new Shape(3, 2));
        var ix = tf.constant(new[] { 2, 0, 1, 1 }, new Shape(2, 2));

        var y = tf.gather(p, ix);

        y.shape.Should().Be(new Shape(2, 2, 2));
        y.ToArray<float>().Should().Equal(30f, 31f, 10f, 11f, 20f, 21f, 20f, 21f);
    }

    [Fact]
    public void Gather_BatchDims_GathersPerBatch()
    {
        using var t = new TestContext();
        var p = Input(new Shape(2, 3, 4), DType.Float16, seed: 9);
        var ix = tf.constant(new[] { 3, 0, 1, 2, 2, 0 }, new Shape(2, 3));

        var y = tf.gather(p, ix, axis: 2, batch_dims: 1);

        // params [B=2, 3, 4], indices [B=2, 3] -> out [2, 3, 3]: out[b, r, k] = params[b, r, indices[b, k]]
        var iv = ix.ToArray<int>();
        var outShape = new Shape(2, 3, 3);
        y.shape.Should().Be(outShape);
        Bytes(y).Should().Equal(Reference(outShape, p, o => new[] { o[0], o[1], (long)iv[o[0] * 3 + o[2]] }));
    }

    [Fact]
    public void Gather_IndexOutOfRange_ThrowsNamingIndexAndNothingIsRegistered()
    {
        using var t = new TestContext();
        var rec = new RecordingObserver();
        var p = Input(new Shape(5, 2), DType.Float32);
        var ix = tf.constant(new[] { 0, 4, 1, 7 }, new Shape(2, 2));
        var live = t.Context.LiveTensorCount;
        using var _ = t.Context.Attach(rec);

        var act = () => tf.gather(p, ix);

        act.Should().Throw<OpException>().Which.Message.Should()
            .Contain("GatherV2").And.Contain("indices[1,1] = 7").And.Contain("[0, 5)").And.Contain("float32[5,2]");
        t.Context.LiveTensorCount.Should().Be(live, "the façade releases the axis constant it created");
        rec.Ops.Should().BeEmpty();
    }

    [Fact]
    public void Gather_NegativeIndex_Throws()
    {
        using var t = new TestContext();
        var p = Input(new Shape(5), DType.Int32);

        var act = () => tf.gather(p, tf.constant(new[] { -1 }));

        act.Should().Throw<OpException>().WithMessage("*indices[0] = -1*");
    }

    [Fact]
    public void Gather_FloatIndices_Throws()
    {
        using var t = new TestContext();
        var p = Input(new Shape(5), DType.Int32);

        var act = () => tf.gather(p, tf.constant(new[] { 1f }));

        act.Should().Throw<OpException>().WithMessage("*'indices'*int32 or int64*float32*");
    }

    [Fact]
    public void Gather_BatchDimsAfterAxis_ThrowsNamingAttribute()
    {
        using var t = new TestContext();
        var p = Input(new Shape(2, 3), DType.Float32);
        var ix = tf.constant(new[] { 0, 1 }, new Shape(2, 1));

        var act = () => tf.gather(p, ix, axis: 0, batch_dims: 1);

        act.Should().Throw<OpException>().Which.Attribute.Should().Be("batch_dims");
    }

    [Fact]
    public void Gather_MetaMode_PlansSameShapeAsRealMode()
    {
        var (real, meta) = BothModes(m => tf.gather(Data(new Shape(10, 4), DType.Float32, m), tf.constant(new[] { 1, 2, 3, 9, 0, 0 }, new Shape(3, 2)), axis: 0));

        meta.Should().Be(real);
        real.Shape.Should().Be(new Shape(3, 2, 4));
    }

    [Fact]
    public void Gather_MetaMode_StillRejectsOutOfRangeIndex()
    {
        using var t = new TestContext(meta: true);
        var p = Empty(new Shape(3, 4), DType.Float32);

        var act = () => tf.gather(p, tf.constant(new[] { 3 }));

        act.Should().Throw<OpException>().WithMessage("*indices[0] = 3*");
    }

    [Fact]
    public void Plan_UnknownAxisWithKnownOutput_PlansFromIt()
    {
        var known = new TensorSpec(new Shape(4, 2), DType.Float32);
        var inv = new OpInvocation("GatherV2",
            new[] { new TensorSpec(new Shape(5, 2), DType.Float32), new TensorSpec(new Shape(4), DType.Int32), new TensorSpec(Shape.Scalar, DType.Int32) },
            OpAttrs.Empty, _ => null, new[] { known });

        new GatherV2().Plan(inv).Outputs.Should().Equal(known);
    }
}
