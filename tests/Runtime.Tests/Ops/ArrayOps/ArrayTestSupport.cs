using OnSram.Runtime.Tests.Support;

namespace OnSram.Runtime.Tests.Ops.ArrayOps;

/// <summary>Inputs of any dtype, raw-byte comparison and a plain reference builder for data-movement ops.</summary>
internal static class ArrayTestSupport
{
    /// <summary>The dtypes every array op is checked with (covers element sizes 1, 2, 4 and 8).</summary>
    public static readonly DType[] AllDTypes = { DType.Float32, DType.Int32, DType.Bool, DType.Float16, DType.Int64, DType.BFloat16, DType.Int8 };

    /// <summary>A tensor of <paramref name="dtype"/> with seeded values (distinct where the dtype allows).</summary>
    public static Tensor Input(Shape shape, DType dtype, int seed = 1)
    {
        var rng = new Random(seed);
        var bytes = new byte[shape.size * dtype.Size()];
        for (long i = 0; i < shape.size; i++)
        {
            var v = dtype == DType.Bool ? rng.Next(2) : rng.Next(-120, 120);
            TensorData.SetElementFromDouble(bytes, dtype, i, v);
        }
        return EagerContext.Current.CreateTensor(shape, dtype, bytes);
    }

    /// <summary>A value-less tensor (meta mode only).</summary>
    public static Tensor Empty(Shape shape, DType dtype) => EagerContext.Current.CreateTensor(shape, dtype, null);

    /// <summary>The raw element bytes of a tensor.</summary>
    public static byte[] Bytes(Tensor t) => t.Buffer.ToArray();

    /// <summary>All multi-indices of <paramref name="shape"/> in row-major order.</summary>
    public static IEnumerable<long[]> Indices(Shape shape)
    {
        if (shape.size == 0)
        {
            yield break;
        }
        var idx = new long[shape.ndim];
        while (true)
        {
            yield return (long[])idx.Clone();
            var d = shape.ndim - 1;
            while (d >= 0)
            {
                idx[d]++;
                if (idx[d] < shape[d])
                {
                    break;
                }
                idx[d] = 0;
                d--;
            }
            if (d < 0)
            {
                yield break;
            }
        }
    }

    /// <summary>Row-major flat position of a multi-index.</summary>
    public static long Flat(long[] index, Shape shape)
    {
        long f = 0;
        for (var d = 0; d < shape.ndim; d++)
        {
            f = f * shape[d] + index[d];
        }
        return f;
    }

    /// <summary>
    /// Builds the expected output bytes: element o of the output is element <paramref name="map"/>(o) of
    /// the input, or <paramref name="fill"/> (zeros when null) where the map returns null.
    /// </summary>
    public static byte[] Reference(Shape outShape, Tensor input, Func<long[], long[]?> map, byte[]? fill = null)
    {
        var es = input.dtype.Size();
        var src = input.Buffer;
        var r = new byte[outShape.size * es];
        foreach (var o in Indices(outShape))
        {
            var at = Flat(o, outShape) * es;
            var i = map(o);
            if (i is null)
            {
                if (fill is not null)
                {
                    Array.Copy(fill, 0, r, at, es);
                }
                continue;
            }
            Array.Copy(src, Flat(i, input.shape) * es, r, at, es);
        }
        return r;
    }

    /// <summary>
    /// Runs <paramref name="script"/> in a fresh real context and in a fresh meta context (its argument
    /// says which; use <see cref="Data"/> for data inputs) and returns both results' specs.
    /// </summary>
    public static (TensorSpec Real, TensorSpec Meta) BothModes(Func<bool, Tensor> script)
    {
        TensorSpec real, meta;
        using (new TestContext())
        {
            real = script(false).Spec;
        }
        using (var m = new TestContext(meta: true))
        {
            var t = script(true);
            meta = t.Spec;
            m.Context.MetaMode.Should().BeTrue();
        }
        return (real, meta);
    }

    /// <summary>A data input: seeded values in real mode, no storage in meta mode.</summary>
    public static Tensor Data(Shape shape, DType dtype, bool meta, int seed = 1) => meta ? Empty(shape, dtype) : Input(shape, dtype, seed);

    /// <summary>Odd and even shapes of ranks 0 to 4 (including an empty dimension).</summary>
    public static readonly Shape[] Shapes =
    {
        new Shape(Array.Empty<long>()),
        new Shape(1L),
        new Shape(7L),
        new Shape(3L, 5L),
        new Shape(4L, 1L),
        new Shape(2L, 3L, 4L),
        new Shape(3L, 1L, 5L),
        new Shape(2L, 3L, 1L, 5L),
        new Shape(3L, 2L, 2L, 3L),
        new Shape(2L, 0L, 3L),
    };
}
