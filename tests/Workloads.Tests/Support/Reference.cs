using OnSram.Runtime;
using OnSram.Workloads.Layers;
using static OnSram.Runtime.Binding;

namespace OnSram.Workloads.Tests.Support;

/// <summary>Naive scalar references for the layers' mathematics (NHWC, row-major), independent of the ops.</summary>
public static class Reference
{
    /// <summary>A float32 tensor of deterministic values in about [-1, 1].</summary>
    public static Tensor Input(params long[] dims)
    {
        var n = dims.Aggregate(1L, (a, b) => a * b);
        var v = new float[n];
        for (var i = 0; i < n; i++)
        {
            v[i] = (float)Math.Sin(0.7 * i + 0.3) * (1 + (i % 3) * 0.25f);
        }
        return tf.constant(v, new Shape(dims));
    }

    public static double[] Values(this Tensor t) => t.ToDoubleArray();

    public static double[] Weight(this Layer layer, string name) => layer.OwnWeights.Single(w => w.Name == name).Tensor.ToDoubleArray();

    public static long[] WeightShape(this Layer layer, string name) => layer.OwnWeights.Single(w => w.Name == name).Tensor.shape.ToArray();

    /// <summary>Convolution with TensorFlow's SAME/VALID geometry; groups = Cin / filter depth.</summary>
    public static double[] Conv2D(double[] x, long[] xd, double[] w, long[] wd, int stride, int dilation, bool same, out long[] od)
    {
        long Out(long n, long k) => same ? (n + stride - 1) / stride : (n - (k - 1) * dilation - 1) / stride + 1;
        long Pad(long n, long o, long k) => same ? Math.Max((o - 1) * stride + (k - 1) * dilation + 1 - n, 0) / 2 : 0;
        long ho = Out(xd[1], wd[0]), wo = Out(xd[2], wd[1]);
        long pt = Pad(xd[1], ho, wd[0]), pl = Pad(xd[2], wo, wd[1]);
        long cin = xd[3], fin = wd[2], cout = wd[3], groups = cin / fin, per = cout / groups;
        od = new[] { xd[0], ho, wo, cout };
        var y = new double[xd[0] * ho * wo * cout];
        for (long n = 0; n < xd[0]; n++)
        for (long i = 0; i < ho; i++)
        for (long j = 0; j < wo; j++)
        for (long o = 0; o < cout; o++)
        {
            double s = 0;
            for (long a = 0; a < wd[0]; a++)
            for (long b = 0; b < wd[1]; b++)
            {
                long r = i * stride + a * dilation - pt, c = j * stride + b * dilation - pl;
                if (r < 0 || c < 0 || r >= xd[1] || c >= xd[2])
                {
                    continue;
                }
                for (long k = 0; k < fin; k++)
                {
                    s += x[((n * xd[1] + r) * xd[2] + c) * cin + o / per * fin + k] * w[((a * wd[1] + b) * fin + k) * cout + o];
                }
            }
            y[((n * ho + i) * wo + j) * cout + o] = s;
        }
        return y;
    }

    /// <summary>x[rows, k] · w[k, n].</summary>
    public static double[] MatMul(double[] x, long rows, long k, double[] w, long n)
    {
        var y = new double[rows * n];
        for (long r = 0; r < rows; r++)
        for (long j = 0; j < n; j++)
        {
            double s = 0;
            for (long p = 0; p < k; p++)
            {
                s += x[r * k + p] * w[p * n + j];
            }
            y[r * n + j] = s;
        }
        return y;
    }

    /// <summary>Adds a per-channel vector along the last axis.</summary>
    public static double[] AddChannel(double[] y, double[] b) => y.Select((v, i) => v + b[i % b.Length]).ToArray();

    public static double[] Map(double[] y, Func<double, double> f) => y.Select(f).ToArray();

    public static double Relu(double v) => Math.Max(0, v);

    public static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));

    /// <summary>Batch norm along the last axis.</summary>
    public static double[] BatchNorm(double[] x, double[] gamma, double[] beta, double[] mean, double[] variance, double eps) =>
        x.Select((v, i) =>
        {
            var c = i % mean.Length;
            return (v - mean[c]) / Math.Sqrt(variance[c] + eps) * gamma[c] + beta[c];
        }).ToArray();

    /// <summary>Softmax over rows of <paramref name="width"/>.</summary>
    public static double[] Softmax(double[] x, long width)
    {
        var y = new double[x.Length];
        for (long r = 0; r < x.Length; r += width)
        {
            var max = x.Skip((int)r).Take((int)width).Max();
            var sum = 0.0;
            for (long j = 0; j < width; j++)
            {
                y[r + j] = Math.Exp(x[r + j] - max);
                sum += y[r + j];
            }
            for (long j = 0; j < width; j++)
            {
                y[r + j] /= sum;
            }
        }
        return y;
    }

    /// <summary>erf to 1e-12 by its Maclaurin series (|x| &lt; 3 is all the tests need).</summary>
    public static double Erf(double x)
    {
        double sum = 0, term = x;
        for (var n = 0; n < 200; n++)
        {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    /// <summary>Asserts element-wise closeness with a relative-plus-absolute tolerance.</summary>
    public static void ShouldBeClose(this double[] actual, double[] expected, double tolerance = 1e-4)
    {
        actual.Length.Should().Be(expected.Length);
        for (var i = 0; i < actual.Length; i++)
        {
            Math.Abs(actual[i] - expected[i]).Should().BeLessThanOrEqualTo(tolerance * (1 + Math.Abs(expected[i])),
                $"element {i}: {actual[i]} vs {expected[i]}");
        }
    }
}
