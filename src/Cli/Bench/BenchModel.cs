using OnSram.Accelerator.Configuration;
using OnSram.Runtime.Ops;
using OnSram.Speculation.Policies;
using OnSram.Speculation.Simulation;
using OnSram.Workloads;

namespace OnSram.Cli.Bench;

/// <summary>What <see cref="BenchRunner"/> runs: validated, immutable.</summary>
/// <param name="Networks">Networks, in output order.</param>
/// <param name="Policies">Policy names, in output order; the first is <c>baseline</c>.</param>
/// <param name="Config">The accelerator.</param>
/// <param name="Iterations">Forward passes per run; figures are those of the last (steady state).</param>
public sealed record BenchPlan(IReadOnlyList<NetworkSpec> Networks, IReadOnlyList<string> Policies, AcceleratorConfig Config, int Iterations)
{
    /// <summary>Policy registry the names resolve in.</summary>
    public PolicyRegistry Registry { get; init; } = PolicyRegistry.Default;

    /// <summary>Op registry of the meta-mode contexts (null: the runtime's default).</summary>
    public OpRegistry? OpRegistry { get; init; }

    /// <summary>Most simulations run at once (default: one per core).</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;
}

/// <summary>
/// Steady-state figures of one network under one policy: those of the LAST iteration of the run.
/// </summary>
/// <param name="Network">Network name.</param>
/// <param name="Policy">Policy name.</param>
/// <param name="Figures">Figures of the last iteration.</param>
/// <param name="Speedup">Baseline latency / this latency, same network (1 for the baseline).</param>
/// <param name="EnergyReduction">Baseline energy / this energy, same network (1 for the baseline).</param>
public sealed record BenchRow(string Network, string Policy, SimFigures Figures, double Speedup, double EnergyReduction)
{
    /// <summary>Steady-state latency [latency_seconds].</summary>
    public double LatencySeconds => Figures.LatencySeconds;

    /// <summary>Steady-state energy [energy_joules].</summary>
    public double EnergyJoules => Figures.EnergyJoules;

    /// <summary>External bytes read plus written [dram_bytes].</summary>
    public long DramBytes => Figures.DramBytesRead + Figures.DramBytesWritten;

    /// <summary>Hits / (hits + misses) over inputs produced on the device; null when there were none.</summary>
    public double? SpmHitRate => Figures.SpmHits + Figures.SpmMisses == 0
        ? null
        : (double)Figures.SpmHits / (Figures.SpmHits + Figures.SpmMisses);
}

/// <summary>Geometric means of one policy over the networks of a bench.</summary>
/// <param name="Policy">Policy name.</param>
/// <param name="Speedup">Geometric mean of the speedups.</param>
/// <param name="EnergyReduction">Geometric mean of the energy reductions.</param>
public sealed record BenchMean(string Policy, double Speedup, double EnergyReduction);

/// <summary>The result of a bench: rows in network-major, policy-minor order, and the means.</summary>
/// <param name="Config">The accelerator.</param>
/// <param name="Iterations">Forward passes per run.</param>
/// <param name="Networks">Network names, in order.</param>
/// <param name="Policies">Policy names, in order.</param>
/// <param name="Rows">One row per network and policy.</param>
public sealed record BenchResult(AcceleratorConfig Config, int Iterations, IReadOnlyList<string> Networks, IReadOnlyList<string> Policies,
    IReadOnlyList<BenchRow> Rows)
{
    /// <summary>Geometric means per policy over every network, in <see cref="Policies"/> order.</summary>
    public IReadOnlyList<BenchMean> Means => Policies
        .Select(p => new BenchMean(p, GeoMean(Rows.Where(r => r.Policy == p).Select(r => r.Speedup)),
            GeoMean(Rows.Where(r => r.Policy == p).Select(r => r.EnergyReduction))))
        .ToArray();

    /// <summary>The row of <paramref name="network"/> under <paramref name="policy"/>, or null.</summary>
    public BenchRow? Find(string network, string policy) => Rows.FirstOrDefault(r => r.Network == network && r.Policy == policy);

    /// <summary>Geometric mean of positive values (NaN when there are none).</summary>
    public static double GeoMean(IEnumerable<double> values)
    {
        double sum = 0;
        var n = 0;
        foreach (var v in values)
        {
            sum += Math.Log(v);
            n++;
        }
        return n == 0 ? double.NaN : Math.Exp(sum / n);
    }
}

/// <summary>One finished step, for progress displays.</summary>
/// <param name="Done">Steps finished so far.</param>
/// <param name="Total">Steps in all.</param>
/// <param name="Description">What finished (<c>recorded resnet50</c>, <c>resnet50 / lru</c>).</param>
public readonly record struct BenchProgress(int Done, int Total, string Description);
