namespace OnSram.Runtime;

/// <summary><c>tf.random</c>: seeded, deterministic random tensors (no data in meta mode).</summary>
public sealed class RandomApi
{
    internal RandomApi()
    {
    }

    /// <summary>Normal samples. Without <paramref name="seed"/>, the context's seeded generator is used.</summary>
    public Tensor normal(Shape shape, float mean = 0f, float stddev = 1f, DType dtype = DType.Float32, int? seed = null) =>
        Make(shape, dtype, seed, g => mean + stddev * g.NextNormal());

    /// <summary>Normal samples, redrawn when further than two standard deviations from the mean.</summary>
    public Tensor truncated_normal(Shape shape, float mean = 0f, float stddev = 1f, DType dtype = DType.Float32, int? seed = null) =>
        Make(shape, dtype, seed, g =>
        {
            double z;
            do
            {
                z = g.NextNormal();
            }
            while (Math.Abs(z) > 2.0);
            return mean + stddev * z;
        });

    /// <summary>Uniform samples in [minval, maxval) (integer dtypes: each integer of the range equally likely).</summary>
    public Tensor uniform(Shape shape, float minval = 0f, float maxval = 1f, DType dtype = DType.Float32, int? seed = null) =>
        Make(shape, dtype, seed, dtype.IsInteger()
            // Storing truncates toward zero, which would map (-1, 1) to 0 and never give a negative minval: floor.
            ? g => Math.Floor(minval + (maxval - minval) * g.NextDouble())
            : g => minval + (maxval - minval) * g.NextDouble());

    private static Tensor Make(Shape shape, DType dtype, int? seed, Func<SplitMix64, double> sample)
    {
        var ctx = EagerContext.Current;
        var gen = new SplitMix64(seed.HasValue ? (ulong)seed.Value * 0x9E3779B97F4A7C15UL + 1 : ctx.NextRandom());
        if (ctx.MetaMode)
        {
            return ctx.CreateTensor(shape, dtype, null);
        }
        var data = new byte[checked(shape.size * dtype.Size())];
        for (long i = 0; i < shape.size; i++)
        {
            TensorData.SetElementFromDouble(data, dtype, i, sample(gen));
        }
        return ctx.CreateTensor(shape, dtype, data);
    }
}
