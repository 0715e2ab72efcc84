using OnSram.Runtime;
using static OnSram.Runtime.Binding;

namespace OnSram.Workloads.Layers;

/// <summary>
/// Creates a weight tensor of a shape and dtype from an explicit seed (<c>tf.random.*</c> with
/// <c>seed</c>), so a network's weights are a pure function of its seed.
/// </summary>
public abstract record Initializer
{
    /// <summary>Creates the tensor.</summary>
    public abstract Tensor Create(Shape shape, DType dtype, int seed);

    /// <summary>
    /// Glorot (Xavier) normal: truncated normal with stddev sqrt(2 / (fan_in + fan_out)), fans as Keras
    /// computes them (receptive field times input/output channels for 4-D kernels).
    /// </summary>
    public static Initializer GlorotNormal { get; } = new GlorotNormalInitializer();

    /// <summary>Normal samples with the given mean and stddev.</summary>
    public static Initializer Normal(double mean, double stddev) => new NormalInitializer(mean, stddev);

    /// <summary>Uniform samples in [min, max).</summary>
    public static Initializer Uniform(double min, double max) => new UniformInitializer(min, max);

    /// <summary>Small random values around zero for biases and offsets (stddev 0.01).</summary>
    public static Initializer Bias { get; } = new NormalInitializer(0, 0.01);

    /// <summary>Keras's fans of a kernel shape: (fan_in, fan_out).</summary>
    public static (long FanIn, long FanOut) Fans(Shape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        switch (shape.ndim)
        {
            case 0:
                return (1, 1);
            case 1:
                return (shape[0], shape[0]);
            case 2:
                return (shape[0], shape[1]);
            default:
                long receptive = 1;
                for (var i = 0; i < shape.ndim - 2; i++)
                {
                    receptive *= shape[i];
                }
                return (shape[-2] * receptive, shape[-1] * receptive);
        }
    }

    private sealed record GlorotNormalInitializer : Initializer
    {
        public override Tensor Create(Shape shape, DType dtype, int seed)
        {
            var (fanIn, fanOut) = Fans(shape);
            var stddev = Math.Sqrt(2.0 / Math.Max(1, fanIn + fanOut));
            return tf.random.truncated_normal(shape, 0f, (float)stddev, dtype, seed);
        }
    }

    private sealed record NormalInitializer(double Mean, double Stddev) : Initializer
    {
        public override Tensor Create(Shape shape, DType dtype, int seed) =>
            tf.random.normal(shape, (float)Mean, (float)Stddev, dtype, seed);
    }

    private sealed record UniformInitializer(double Min, double Max) : Initializer
    {
        public override Tensor Create(Shape shape, DType dtype, int seed) =>
            tf.random.uniform(shape, (float)Min, (float)Max, dtype, seed);
    }
}
