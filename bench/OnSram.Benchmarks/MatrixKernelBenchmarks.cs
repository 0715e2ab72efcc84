using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using OnSram.Runtime;
using static OnSram.Runtime.Binding;

namespace OnSram.Benchmarks;

/// <summary>
/// The CPU kernels of the Matrix-unit ops through the dispatch point (planning, output allocation and the
/// kernel): MatMul 512×512×512 and ResNet-50's 3×3 Conv2D layer (1×56×56×64 → 64, SAME).
/// The GFLOP/s column divides each benchmark's FLOPs (the registry's count) by the measured mean.
/// </summary>
[Config(typeof(Config))]
public class MatrixKernelBenchmarks
{
    private EagerContext _context = null!;
    private Tensor _a = null!, _b = null!, _image = null!, _filter = null!;
    private OpAttrs _matmulAttrs = null!, _convAttrs = null!;

    [GlobalSetup]
    public void Setup()
    {
        _context = new EagerContext();
        using (_context.Activate())
        {
            _a = tf.constant(Values(512 * 512, 1), new Shape(512, 512));
            _b = tf.constant(Values(512 * 512, 2), new Shape(512, 512));
            _image = tf.constant(Values(56 * 56 * 64, 3), new Shape(1, 56, 56, 64));
            _filter = tf.constant(Values(3 * 3 * 64 * 64, 4), new Shape(3, 3, 64, 64));
        }
        _matmulAttrs = OpAttrs.Of(("transpose_a", false), ("transpose_b", false));
        _convAttrs = OpAttrs.Of(("strides", new[] { 1, 1, 1, 1 }), ("padding", "SAME"), ("data_format", "NHWC"), ("dilations", new[] { 1, 1, 1, 1 }));
    }

    [Benchmark(Description = "MatMul 512x512x512")]
    [Flops(2.0 * 512 * 512 * 512)]
    public void MatMul512() => Run("MatMul", _matmulAttrs, _a, _b);

    [Benchmark(Description = "Conv2D ResNet-50 3x3 (1x56x56x64->64, SAME)")]
    [Flops(2.0 * 56 * 56 * 64 * 3 * 3 * 64)]
    public void Conv2DResNet3x3() => Run("Conv2D", _convAttrs, _image, _filter);

    private void Run(string op, OpAttrs attrs, params Tensor[] inputs)
    {
        foreach (var t in _context.Execute(op, inputs, attrs))
        {
            t.Dispose();
        }
    }

    private static float[] Values(int n, int seed)
    {
        var r = new Random(seed);
        var v = new float[n];
        for (var i = 0; i < n; i++)
        {
            v[i] = (float)(r.NextDouble() - 0.5);
        }
        return v;
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new GflopsColumn());
    }
}

/// <summary>FLOPs of one invocation of a benchmark method, for the GFLOP/s column.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FlopsAttribute(double flops) : Attribute
{
    /// <summary>FLOPs of one call.</summary>
    public double Flops { get; } = flops;
}

/// <summary>GFLOP/s = FLOPs of the method / mean time.</summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);
    public string ColumnName => "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Billions of floating-point operations per second (method FLOPs / mean)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var flops = benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttributes(typeof(FlopsAttribute), false)
            .OfType<FlopsAttribute>().FirstOrDefault()?.Flops;
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean; // nanoseconds
        return flops is null || mean is null or <= 0 ? "-" : (flops.Value / mean.Value).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;
}
