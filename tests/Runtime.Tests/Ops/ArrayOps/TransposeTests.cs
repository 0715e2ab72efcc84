using OnSram.Runtime.Ops;
using OnSram.Runtime.Ops.ArrayOps;
using OnSram.Runtime.Tests.Support;
using static OnSram.Runtime.Binding;
using static OnSram.Runtime.Tests.Ops.ArrayOps.ArrayTestSupport;

namespace OnSram.Runtime.Tests.Ops.ArrayOps;

public sealed class TransposeTests
{
    private static IEnumerable<int[]> Permutations(int n)
    {
        if (n == 0)
        {
            yield return Array.Empty<int>();
            yield break;
        }
        foreach (var rest in Permutations(n - 1))
        {
            for (var pos = 0; pos <= rest.Length; pos++)
            {
                var p = rest.ToList();
                p.Insert(pos, n - 1);
                yield return p.ToArray();
            }
        }
    }

    [Fact]
    public void Transpose_EveryPermutation_MatchesReference()
    {
        using var t = new TestContext();
        var shapes = new[] { new Shape(5L), new Shape(3L, 4L), new Shape(2L, 3L, 5L), new Shape(3L, 1L, 4L), new Shape(2L, 3L, 2L, 5L), new Shape(2L, 0L, 3L) };
        foreach (var shape in shapes)
        {
            foreach (var dtype in AllDTypes)
            {
                var x = Input(shape, dtype, seed: shape.ndim);
                foreach (var perm in Permutations(shape.ndim))
                {
                    var y = tf.transpose(x, perm);

                    var outShape = new Shape(perm.Select(p => shape[p]).ToArray());
                    y.shape.Should().Be(outShape);
                    // out[o] = in[i] with i[perm[d]] = o[d].
                    var expected = Reference(outShape, x, o =>
                    {
                        var i = new long[o.Length];
                        for (var d = 0; d < o.Length; d++)
                        {
                            i[perm[d]] = o[d];
                        }
                        return i;
                    });
                    Bytes(y).Should().Equal(expected, $"{dtype.Name()}{shape.ToCompactString()} perm [{string.Join(",", perm)}]");
                }
            }
        }
    }

    [Fact]
    public void Transpose_DefaultPerm_ReversesDims()
    {
        using var t = new TestContext();
        var x = tf.constant(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, new Shape(2, 3));

        var y = tf.transpose(x);

        y.shape.Should().Be(new Shape(3, 2));
        y.ToArray<float>().Should().Equal(1f, 4f, 2f, 5f, 3f, 6f);
        y.Id.Should().NotBe(x.Id, "a transpose is a copy");
    }

    [Theory]
    [InlineData(new[] { 0, 0, 1 }, "twice")]
    [InlineData(new[] { 0, 3, 1 }, "out of range")]
    [InlineData(new[] { 0, -1, 1 }, "out of range")]
    [InlineData(new[] { 0, 1 }, "2 entries")]
    public void Transpose_BadPerm_ThrowsNamingPerm(int[] perm, string why)
    {
        using var t = new TestContext();
        var x = Input(new Shape(2, 3, 4), DType.Float32);

        var act = () => tf.transpose(x, perm);

        act.Should().Throw<OpException>().Which.Message.Should()
            .Contain("Transpose").And.Contain("'perm'").And.Contain(why).And.Contain("float32[2,3,4]");
    }

    [Fact]
    public void Transpose_EmitsOneVectorOpWithZeroFlops()
    {
        using var t = new TestContext();
        var rec = new RecordingObserver();
        var x = Input(new Shape(2, 3), DType.Float32);
        using var _ = t.Context.Attach(rec);

        tf.transpose(x);

        var op = rec.Ops.Should().ContainSingle().Which;
        op.OpType.Should().Be("Transpose");
        op.Flops.Should().Be(0);
        op.Unit.Should().Be(OnSram.Accelerator.ComputeUnit.Vector);
        op.Traits.Should().Be(OnSram.Speculation.Events.OpTraits.Elementwise);
    }

    [Fact]
    public void Transpose_MetaMode_PlansSameShapeAsRealMode()
    {
        var (real, meta) = BothModes(m => tf.transpose(Data(new Shape(1, 4, 5, 3), DType.Float32, m), new[] { 0, 3, 1, 2 }));

        meta.Should().Be(real);
        real.Shape.Should().Be(new Shape(1, 3, 4, 5));
    }

    [Fact]
    public void Plan_UnknownPermWithKnownOutput_PlansFromIt()
    {
        var known = new TensorSpec(new Shape(3, 2), DType.Int32);
        var inv = new OpInvocation("Transpose",
            new[] { new TensorSpec(new Shape(2, 3), DType.Int32), new TensorSpec(new Shape(2), DType.Int32) },
            OpAttrs.Empty, _ => null, new[] { known });

        var plan = new Transpose().Plan(inv);

        plan.Outputs.Should().Equal(known);
        plan.Flops.Should().Be(0);
    }

    [Fact]
    public void Plan_UnknownPermWithKnownOutputOfOtherDType_Throws()
    {
        var inv = new OpInvocation("Transpose",
            new[] { new TensorSpec(new Shape(2, 3), DType.Int32), new TensorSpec(new Shape(2), DType.Int32) },
            OpAttrs.Empty, _ => null, new[] { new TensorSpec(new Shape(3, 2), DType.Float32) });

        var act = () => new Transpose().Plan(inv);

        act.Should().Throw<OpException>().WithMessage("*dtype int32*");
    }
}
