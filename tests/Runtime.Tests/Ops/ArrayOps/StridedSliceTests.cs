using OnSram.Runtime.Ops;
using OnSram.Runtime.Ops.ArrayOps;
using OnSram.Runtime.Tests.Support;
using static OnSram.Runtime.Binding;
using static OnSram.Runtime.Tests.Ops.ArrayOps.ArrayTestSupport;

namespace OnSram.Runtime.Tests.Ops.ArrayOps;

public sealed class StridedSliceTests
{
    // A numpy-style index expression, encoded to TensorFlow's begin/end/strides/masks the way
    // tf.Tensor.__getitem__ does, and evaluated independently with Python's slice semantics.
    private abstract record Item;
    private sealed record Index(long I) : Item { public override string ToString() => $"{I}"; }
    private sealed record Range(long? Start, long? Stop, long Step) : Item { public override string ToString() => $"{Start}:{Stop}:{Step}"; }
    private sealed record NewAxis : Item { public override string ToString() => "None"; }
    private sealed record Ellipsis : Item { public override string ToString() => "..."; }

    private static string Show(Item[] spec) => "[" + string.Join(", ", spec.Select(s => s.ToString())) + "]";

    private static Tensor Apply(Tensor x, Item[] spec)
    {
        var n = spec.Length;
        var begin = new int[n];
        var end = new int[n];
        var strides = new int[n];
        int bm = 0, em = 0, el = 0, na = 0, sh = 0;
        for (var i = 0; i < n; i++)
        {
            strides[i] = 1;
            switch (spec[i])
            {
                case Index ix:
                    begin[i] = (int)ix.I;
                    end[i] = (int)ix.I + 1;
                    sh |= 1 << i;
                    break;
                case Range r:
                    if (r.Start is { } s) { begin[i] = (int)s; } else { bm |= 1 << i; }
                    if (r.Stop is { } e) { end[i] = (int)e; } else { em |= 1 << i; }
                    strides[i] = (int)r.Step;
                    break;
                case NewAxis:
                    na |= 1 << i;
                    break;
                case Ellipsis:
                    el |= 1 << i;
                    break;
            }
        }
        return tf.strided_slice(x, begin, end, strides, bm, em, el, na, sh);
    }

    /// <summary>Python's slice.indices(n) followed by range(): the positions a slice visits.</summary>
    private static List<long> PythonRange(Range r, long n)
    {
        var step = r.Step;
        long lower = step > 0 ? 0 : -1, upper = step > 0 ? n : n - 1;
        long Fix(long? v, long dflt)
        {
            if (v is not { } x)
            {
                return dflt;
            }
            if (x < 0)
            {
                x += n;
                return x < lower ? lower : x;
            }
            return x > upper ? upper : x;
        }
        var start = Fix(r.Start, step > 0 ? lower : upper);
        var stop = Fix(r.Stop, step > 0 ? upper : lower);
        var list = new List<long>();
        for (var i = start; step > 0 ? i < stop : i > stop; i += step)
        {
            list.Add(i);
        }
        return list;
    }

    /// <summary>Numpy semantics: output dims and, per output index, the input index.</summary>
    private static (Shape Shape, Func<long[], long[]> Map) Numpy(Shape shape, Item[] spec)
    {
        var real = spec.Count(s => s is Index or Range);
        var items = new List<Item>();
        var hasEllipsis = spec.Any(s => s is Ellipsis);
        foreach (var s in spec)
        {
            if (s is Ellipsis)
            {
                for (var k = 0; k < shape.ndim - real; k++)
                {
                    items.Add(new Range(null, null, 1));
                }
            }
            else
            {
                items.Add(s);
            }
        }
        if (!hasEllipsis)
        {
            for (var k = 0; k < shape.ndim - real; k++)
            {
                items.Add(new Range(null, null, 1));
            }
        }
        // Per output dim: (input dim or -1 for a new axis, positions); fixed indices for shrunk dims.
        var outDims = new List<long>();
        var outSources = new List<(int Dim, List<long> Positions)>();
        var fixedIndex = new long[shape.ndim];
        var dim = 0;
        foreach (var it in items)
        {
            switch (it)
            {
                case Index ix:
                    fixedIndex[dim] = ix.I < 0 ? ix.I + shape[dim] : ix.I;
                    dim++;
                    break;
                case Range r:
                    var pos = PythonRange(r, shape[dim]);
                    outDims.Add(pos.Count);
                    outSources.Add((dim, pos));
                    dim++;
                    break;
                case NewAxis:
                    outDims.Add(1);
                    outSources.Add((-1, new List<long> { 0 }));
                    break;
            }
        }
        return (new Shape(outDims.ToArray()), o =>
        {
            var i = (long[])fixedIndex.Clone();
            for (var k = 0; k < o.Length; k++)
            {
                if (outSources[k].Dim >= 0)
                {
                    i[outSources[k].Dim] = outSources[k].Positions[(int)o[k]];
                }
            }
            return i;
        });
    }

    private static void Check(Tensor x, Item[] spec)
    {
        var y = Apply(x, spec);
        var (shape, map) = Numpy(x.shape, spec);
        y.shape.Should().Be(shape, $"x{x.shape.ToCompactString()}{Show(spec)}");
        Bytes(y).Should().Equal(Reference(shape, x, map), $"{x.dtype.Name()} x{x.shape.ToCompactString()}{Show(spec)}");
    }

    public static TheoryData<string> Named() => new() { "x[::-1]", "x[..., 1]", "x[:, None]", "x[-1]", "x[1:-1:2]", "x[None, ..., None]", "x[-100:100]", "x[4:1]", "x[::-2, 1:]", "x[..., ::-1, 0]", "x[1, ..., -2:]", "x[:, :, None, -1]" };

    private static Item[] Parse(string expr) => expr switch
    {
        "x[::-1]" => new Item[] { new Range(null, null, -1) },
        "x[..., 1]" => new Item[] { new Ellipsis(), new Index(1) },
        "x[:, None]" => new Item[] { new Range(null, null, 1), new NewAxis() },
        "x[-1]" => new Item[] { new Index(-1) },
        "x[1:-1:2]" => new Item[] { new Range(1, -1, 2) },
        "x[None, ..., None]" => new Item[] { new NewAxis(), new Ellipsis(), new NewAxis() },
        "x[-100:100]" => new Item[] { new Range(-100, 100, 1) },
        "x[4:1]" => new Item[] { new Range(4, 1, 1) },
        "x[::-2, 1:]" => new Item[] { new Range(null, null, -2), new Range(1, null, 1) },
        "x[..., ::-1, 0]" => new Item[] { new Ellipsis(), new Range(null, null, -1), new Index(0) },
        "x[1, ..., -2:]" => new Item[] { new Index(1), new Ellipsis(), new Range(-2, null, 1) },
        "x[:, :, None, -1]" => new Item[] { new Range(null, null, 1), new Range(null, null, 1), new NewAxis(), new Index(-1) },
        _ => throw new ArgumentException(expr),
    };

    [Theory]
    [MemberData(nameof(Named))]
    public void StridedSlice_NamedExpression_MatchesNumpy(string expr)
    {
        using var t = new TestContext();
        foreach (var dtype in AllDTypes)
        {
            Check(Input(new Shape(5, 4, 3), dtype, seed: 2), Parse(expr));
        }
    }

    [Fact]
    public void StridedSlice_Reverse_GivesReversedFloats()
    {
        using var t = new TestContext();
        var x = tf.constant(new[] { 1f, 2f, 3f, 4f });

        var y = tf.strided_slice(x, new[] { 0 }, new[] { 0 }, new[] { -1 }, begin_mask: 1, end_mask: 1);

        y.ToArray<float>().Should().Equal(4f, 3f, 2f, 1f);
    }

    [Fact]
    public void StridedSlice_SeededSpecs_MatchNumpy()
    {
        using var t = new TestContext();
        var rng = new Random(7);
        var shapes = new[] { new Shape(6L), new Shape(5L, 4L), new Shape(3L, 5L, 2L), new Shape(2L, 3L, 4L, 3L), new Shape(4L, 0L, 3L) };
        var steps = new long[] { -3, -2, -1, 1, 1, 2, 3 };
        foreach (var shape in shapes)
        {
            foreach (var dtype in new[] { DType.Float32, DType.Int32, DType.Bool, DType.Float16, DType.Int64 })
            {
                var x = Input(shape, dtype, seed: shape.ndim + 20);
                for (var trial = 0; trial < 40; trial++)
                {
                    var spec = new List<Item>();
                    var realLeft = rng.Next(shape.ndim + 1);
                    var ellipsisAt = rng.Next(3) == 0 ? rng.Next(realLeft + 1) : -1;
                    var dim = 0;
                    for (var k = 0; k <= realLeft; k++)
                    {
                        if (k == ellipsisAt)
                        {
                            spec.Add(new Ellipsis());
                            dim = shape.ndim - (realLeft - k);
                        }
                        if (rng.Next(5) == 0)
                        {
                            spec.Add(new NewAxis());
                        }
                        if (k == realLeft)
                        {
                            break;
                        }
                        var n = shape[dim];
                        if (n > 0 && rng.Next(4) == 0)
                        {
                            spec.Add(new Index(rng.Next(-(int)n, (int)n)));
                        }
                        else
                        {
                            long? start = rng.Next(3) == 0 ? null : rng.Next(-(int)n - 2, (int)n + 3);
                            long? stop = rng.Next(3) == 0 ? null : rng.Next(-(int)n - 2, (int)n + 3);
                            spec.Add(new Range(start, stop, steps[rng.Next(steps.Length)]));
                        }
                        dim++;
                    }
                    Check(x, spec.ToArray());
                }
            }
        }
    }

    [Fact]
    public void StridedSlice_TwoEllipses_ThrowsNamingAttribute()
    {
        using var t = new TestContext();
        var x = Input(new Shape(2, 3), DType.Float32);

        var act = () => tf.strided_slice(x, new[] { 0, 0 }, new[] { 0, 0 }, ellipsis_mask: 3);

        var e = act.Should().Throw<OpException>().Which;
        e.Attribute.Should().Be("ellipsis_mask");
        e.Message.Should().Contain("StridedSlice").And.Contain("float32[2,3]");
    }

    [Fact]
    public void StridedSlice_ZeroStride_Throws()
    {
        using var t = new TestContext();
        var x = Input(new Shape(4), DType.Float32);

        var act = () => tf.strided_slice(x, new[] { 0 }, new[] { 4 }, new[] { 0 });

        act.Should().Throw<OpException>().WithMessage("*strides[0]*non-zero*");
    }

    [Fact]
    public void StridedSlice_IndexOutOfBounds_ThrowsNamingShrinkMask()
    {
        using var t = new TestContext();
        var x = Input(new Shape(4, 2), DType.Float32);

        var act = () => tf.strided_slice(x, new[] { 0, 2 }, new[] { 0, 3 }, shrink_axis_mask: 2);

        var e = act.Should().Throw<OpException>().Which;
        e.Attribute.Should().Be("shrink_axis_mask");
        e.Message.Should().Contain("index 2 of dimension 1");
    }

    [Fact]
    public void StridedSlice_IndexWithNegativeStride_Throws()
    {
        using var t = new TestContext();
        var x = Input(new Shape(4), DType.Float32);

        var act = () => tf.strided_slice(x, new[] { 1 }, new[] { 2 }, new[] { -1 }, shrink_axis_mask: 1);

        act.Should().Throw<OpException>().Which.Attribute.Should().Be("shrink_axis_mask");
    }

    [Fact]
    public void StridedSlice_MoreIndicesThanDims_Throws()
    {
        using var t = new TestContext();
        var x = Input(new Shape(4), DType.Float32);

        var act = () => tf.strided_slice(x, new[] { 0, 0 }, new[] { 1, 1 });

        act.Should().Throw<OpException>().WithMessage("*only 1 dimensions*");
    }

    [Fact]
    public void StridedSlice_MismatchedLengths_Throws()
    {
        using var t = new TestContext();
        var x = Input(new Shape(4), DType.Float32);

        var act = () => tf.strided_slice(x, new[] { 0 }, new[] { 1, 1 }, new[] { 1 });

        act.Should().Throw<OpException>().WithMessage("*lengths 1, 2 and 1*");
    }

    [Fact]
    public void StridedSlice_MetaMode_PlansSameShapeAsRealMode()
    {
        var (real, meta) = BothModes(m => tf.strided_slice(Data(new Shape(2, 7, 5), DType.Float32, m),
            new[] { 0, 0, 6 }, new[] { 0, 0, 0 }, new[] { 1, 1, -2 }, ellipsis_mask: 1, new_axis_mask: 2));

        meta.Should().Be(real);
        real.Shape.Should().Be(new Shape(2, 7, 1, 2), "x[..., None, 6:0:-2] visits 4 and 2");
    }

    [Fact]
    public void Plan_UnknownValuesWithKnownOutput_PlansFromIt()
    {
        var known = new TensorSpec(new Shape(2), DType.Float32);
        var ints = new TensorSpec(new Shape(1), DType.Int32);
        var inv = new OpInvocation("StridedSlice",
            new[] { new TensorSpec(new Shape(4), DType.Float32), ints, ints, ints }, OpAttrs.Empty, _ => null, new[] { known });

        new StridedSlice().Plan(inv).Outputs.Should().Equal(known);
    }
}
