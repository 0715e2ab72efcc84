using OnSram.Runtime;
using OnSram.Runtime.Ops;
using OnSram.Runtime.Tests.Support;
using static OnSram.Runtime.Binding;

namespace OnSram.Runtime.Tests.Ops.MathOps;

public sealed class ReductionOpsTests
{
    /// <summary>Input shapes with axis lists: last, first, middle, several, negative, duplicate, none, size-1 and empty axes.</summary>
    private static readonly (string Shape, int[] Axes)[] s_cases =
    [
        ("[5]", [0]),
        ("[3,4]", [0]),
        ("[3,4]", [1]),
        ("[3,4]", [-1]),
        ("[3,4]", [0, 1]),
        ("[3,4]", []),
        ("[2,3,4]", [1]),
        ("[2,3,4]", [0, 2]),
        ("[2,3,4]", [2, 0, 2]),
        ("[2,3,4]", [-3]),
        ("[2,1,3]", [1]),
        ("[2,1,3]", [0]),
        ("[1,1]", [0]),
        ("[2,5,7,3]", [1, 2]),
        ("[3,7,2,5]", [0, 2]),
        ("[1031]", [0]),
        ("[3,0,2]", [1]),
        ("[0,3]", [1]),
        ("[]", []),
    ];

    public static TheoryData<string, DType> Cases()
    {
        var data = new TheoryData<string, DType>();
        foreach (var op in new[] { "Sum", "Mean", "Max" })
        {
            foreach (var d in OpTestData.Numeric)
            {
                data.Add(op, d);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Execute_AxisLists_MatchScalarReference(string op, DType dtype)
    {
        using var t = new TestContext();
        var seed = 7;
        foreach (var (s, axes) in s_cases)
        {
            foreach (var keep in new[] { false, true })
            {
                var shape = OpTestData.ParseShape(s);
                var (x, xv) = OpTestData.Random(seed++, shape, dtype);
                var attrs = OpAttrs.Of(("keep_dims", keep));

                var y = t.Context.Execute(op, [x, tf.constant(axes, new Shape((long)axes.Length))], attrs)[0];

                var (expectedShape, expected) = Reference(op, xv, shape, axes, keep, dtype);
                var because = $"{op} {dtype.Name()} {s} axes [{string.Join(",", axes)}] keep_dims={keep}";
                y.shape.Should().Be(expectedShape, because);
                y.dtype.Should().Be(dtype);
                // Sums of many terms round in float32 once per term at most.
                var tol = dtype == DType.Float32 ? 1e-5 : OpTestData.Tolerance(dtype);
                OpTestData.AssertClose(y.ToDoubleArray(), expected, tol, because);
            }
        }
    }

    [Fact]
    public void Sum_ScalarAxisTensor_ReducesThatAxis()
    {
        using var t = new TestContext();
        var x = tf.constant(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, new Shape(2, 3));

        var y = t.Context.Execute("Sum", [x, tf.constant(1)])[0];

        y.shape.Should().Be(new Shape(2));
        y.ToArray<float>().Should().Equal(6f, 15f);
    }

    [Fact]
    public void Mean_Int32_TruncatesTowardZero()
    {
        using var t = new TestContext();
        var x = tf.constant(new[] { 1, 2, -1, -2 }, new Shape(2, 2));

        var y = tf.reduce_mean(x, 1);

        y.ToArray<int>().Should().Equal(1, -1);
    }

    [Fact]
    public void Max_AllNegative_IsNotZero()
    {
        using var t = new TestContext();
        var x = tf.constant(new[] { -5f, -3f, -4f, -9f, -8f, -7f }, new Shape(2, 3));

        tf.reduce_max(x, 1).ToArray<float>().Should().Equal(-3f, -7f);
        tf.reduce_max(x, 0).ToArray<float>().Should().Equal(-5f, -3f, -4f);
    }

    [Fact]
    public void Max_NaNInRow_PropagatesNaN()
    {
        using var t = new TestContext();
        var x = tf.constant(new[] { 1f, float.NaN, 3f, 4f, 5f, 6f }, new Shape(2, 3));

        var rows = tf.reduce_max(x, 1).ToArray<float>();
        var cols = tf.reduce_max(x, 0).ToArray<float>();

        float.IsNaN(rows[0]).Should().BeTrue();
        rows[1].Should().Be(6f);
        cols[0].Should().Be(4f);
        float.IsNaN(cols[1]).Should().BeTrue();
        cols[2].Should().Be(6f);
    }

    [Fact]
    public void Sum_ReportsOneFlopPerInputElement()
    {
        using var t = new TestContext();
        var rec = new RecordingObserver();
        using var _ = t.Context.Attach(rec);

        tf.reduce_sum(tf.zeros(new Shape(4, 6)), 1);

        var e = rec.Ops.Single(o => o.OpType == "Sum");
        e.Flops.Should().Be(24);
        e.Traits.InputReuse.Should().Be(1);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(-3)]
    public void Execute_AxisOutOfRange_ThrowsNamingOpShapeAndAxis(int axis)
    {
        using var t = new TestContext();
        var x = tf.zeros(new Shape(3, 4));

        var act = () => tf.reduce_sum(x, axis);

        act.Should().Throw<OpException>()
            .Which.Message.Should().Contain("Sum").And.Contain("[3,4]").And.Contain($"{axis}");
    }

    [Fact]
    public void Execute_FloatAxisTensor_ThrowsNamingReductionIndices()
    {
        using var t = new TestContext();
        var x = tf.zeros(new Shape(3, 4));

        var act = () => t.Context.Execute("Mean", [x, tf.constant(1f)]);

        act.Should().Throw<OpException>()
            .Which.Message.Should().Contain("Mean").And.Contain("reduction_indices").And.Contain("float32");
    }

    [Fact]
    public void Execute_KeepDimsNotBool_ThrowsNamingAttribute()
    {
        using var t = new TestContext();
        var x = tf.zeros(new Shape(3, 4));

        var act = () => t.Context.Execute("Max", [x, tf.constant(0)], OpAttrs.Of(("keep_dims", "yes")));

        act.Should().Throw<OpException>().Which.Attribute.Should().Be("keep_dims");
    }

    [Fact]
    public void Execute_MetaMode_GivesRealModeShapes()
    {
        foreach (var (s, axes) in s_cases)
        {
            foreach (var keep in new[] { false, true })
            {
                var shapes = new List<Shape>();
                foreach (var meta in new[] { false, true })
                {
                    using var t = new TestContext(meta);
                    var x = tf.zeros(OpTestData.ParseShape(s));
                    var y = tf.reduce_mean(x, axes, keep);
                    shapes.Add(y.shape);
                }
                shapes[1].Should().Be(shapes[0], $"{s} axes [{string.Join(",", axes)}] keep_dims={keep}");
            }
        }
    }

    [Fact]
    public void Plan_AxisValuesUnknownWithKnownOutputs_PlansFromKnownOutputs()
    {
        var inputs = new[] { new TensorSpec(new Shape(2, 3, 4), DType.Float32), new TensorSpec(new Shape(1), DType.Int32) };
        var known = new[] { new TensorSpec(new Shape(2, 4), DType.Float32) };
        var invocation = new OpInvocation("Mean", inputs, OpAttrs.Empty, _ => null, known);

        var plan = new OnSram.Runtime.Ops.MathOps.Mean().Plan(invocation);

        plan.Outputs.Should().Equal(known);
        plan.Flops.Should().Be(24);
    }

    [Fact]
    public void Plan_AxisValuesUnknownWithoutKnownOutputs_ThrowsNamingReductionIndices()
    {
        var inputs = new[] { new TensorSpec(new Shape(2, 3), DType.Float32), new TensorSpec(new Shape(1), DType.Int32) };
        var invocation = new OpInvocation("Sum", inputs, OpAttrs.Empty, _ => null);

        var act = () => new OnSram.Runtime.Ops.MathOps.Sum().Plan(invocation);

        act.Should().Throw<OpException>().Which.Message.Should().Contain("Sum").And.Contain("reduction_indices");
    }

    private static (Shape Shape, double[] Values) Reference(string op, double[] x, Shape shape, int[] axes, bool keep, DType dtype)
    {
        var rank = shape.ndim;
        var reduced = new bool[rank];
        foreach (var a in axes)
        {
            reduced[a < 0 ? a + rank : a] = true;
        }
        var outDims = new List<long>();
        var keptDims = new List<long>();
        for (var d = 0; d < rank; d++)
        {
            if (!reduced[d])
            {
                outDims.Add(shape.dims[d]);
                keptDims.Add(shape.dims[d]);
            }
            else if (keep)
            {
                outDims.Add(1);
            }
        }
        var outShape = new Shape(outDims.ToArray());
        var acc = new double[outShape.size];
        var count = new long[outShape.size];
        Array.Fill(acc, op == "Max" ? double.NegativeInfinity : 0);
        for (long i = 0; i < x.Length; i++)
        {
            var idx = OpTestData.Unravel(i, shape);
            long o = 0;
            var k = 0;
            for (var d = 0; d < rank; d++)
            {
                if (!reduced[d])
                {
                    o = o * keptDims[k++] + idx[d];
                }
            }
            acc[o] = op == "Max" ? Math.Max(acc[o], x[i]) : acc[o] + x[i];
            count[o]++;
        }
        for (var o = 0; o < acc.Length; o++)
        {
            if (dtype.IsInteger())
            {
                if (op == "Max" && count[o] == 0)
                {
                    acc[o] = dtype == DType.Int32 ? int.MinValue : long.MinValue;
                }
                else if (op == "Mean")
                {
                    acc[o] = count[o] == 0 ? 0 : Math.Truncate(acc[o] / count[o]);
                }
            }
            else if (op == "Mean")
            {
                acc[o] /= count[o]; // 0/0 is NaN for an empty reduction
            }
        }
        return (outShape, acc);
    }
}
