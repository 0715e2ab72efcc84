namespace OnSram.Runtime.Tests.Kernels;

/// <summary>Seeded test data and tolerance checks against double-precision references.</summary>
internal static class KernelAssert
{
    /// <summary>Deterministic values in [-1, 1).</summary>
    public static float[] Random(long count, int seed)
    {
        var r = new Random(seed);
        var v = new float[count];
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = (float)(r.NextDouble() * 2 - 1);
        }
        return v;
    }

    /// <summary>A tensor of <paramref name="dtype"/> holding <paramref name="values"/> (rounded to the dtype) on the current context.</summary>
    public static Tensor Tensor(float[] values, Shape shape, DType dtype)
    {
        var t = EagerContext.Current.CreateTensor(shape, dtype, new byte[shape.size * dtype.Size()]);
        TensorData.WriteFloats(t, values);
        return t;
    }

    /// <summary>
    /// Asserts |actual - expected| &lt;= relative * magnitude + absolute per element, where magnitude is the
    /// sum of |terms| that produced the expected value (float32 rounding grows with it).
    /// </summary>
    public static void Close(ReadOnlySpan<float> actual, double[] expected, double[] magnitude, string context,
        double relative = 4e-6, double absolute = 1e-6)
    {
        actual.Length.Should().Be(expected.Length, context);
        for (var i = 0; i < expected.Length; i++)
        {
            var tol = relative * magnitude[i] + absolute;
            var diff = Math.Abs(actual[i] - expected[i]);
            if (!(diff <= tol))
            {
                throw new Xunit.Sdk.XunitException($"{context}: element {i} is {actual[i]}, expected {expected[i]} (|diff| {diff:g3} > tolerance {tol:g3})");
            }
        }
    }

    /// <summary>Asserts elementwise closeness with a fixed tolerance.</summary>
    public static void Close(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, double tolerance, string context)
    {
        actual.Length.Should().Be(expected.Length, context);
        for (var i = 0; i < expected.Length; i++)
        {
            var diff = Math.Abs(actual[i] - expected[i]);
            if (!(diff <= tolerance * (1 + Math.Abs(expected[i]))))
            {
                throw new Xunit.Sdk.XunitException($"{context}: element {i} is {actual[i]}, expected {expected[i]} (|diff| {diff:g3})");
            }
        }
    }
}
