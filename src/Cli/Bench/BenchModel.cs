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

    /// <summary>
    /// External feature-map traffic [feature_map_dram_bytes]: <see cref="DramBytes"/> minus the reads of weights and
    /// the model input (<c>external_tensor_bytes_read</c>, the same under every policy) and minus tiling re-fetches
    /// (<c>refetch_bytes</c>, which the cost model does not split between weights and activations): the activations
    /// written back and read back, and the halo re-reads of fused groups.
    /// </summary>
    public long FeatureMapDramBytes => DramBytes - Figures.ExternalTensorBytesRead - Figures.RefetchBytes;

    /// <summary>Hits / (hits + misses) over inputs produced on the device; null when there were none.</summary>
    public double? SpmHitRate => Figures.SpmHits + Figures.SpmMisses == 0
        ? null
        : (double)Figures.SpmHits / (Figures.SpmHits + Figures.SpmMisses);
}

/// <summary>Geometric means of one policy over a group of the networks of a bench.</summary>
/// <param name="Group">Label of the group: <c>geomean</c> (the networks without fused ops) or <c>geomean_fused</c>.</param>
/// <param name="Policy">Policy name.</param>
/// <param name="Speedup">Geometric mean of the speedups.</param>
/// <param name="EnergyReduction">Geometric mean of the energy reductions.</param>
public sealed record BenchMean(string Group, string Policy, double Speedup, double EnergyReduction);

/// <summary>The result of a bench: rows in network-major, policy-minor order, and the means.</summary>
/// <param name="Config">The accelerator.</param>
/// <param name="Iterations">Forward passes per run.</param>
/// <param name="Networks">Network names, in order.</param>
/// <param name="Policies">Policy names, in order.</param>
/// <param name="Rows">One row per network and policy.</param>
public sealed record BenchResult(AcceleratorConfig Config, int Iterations, IReadOnlyList<string> Networks, IReadOnlyList<string> Policies,
    IReadOnlyList<BenchRow> Rows)
{
    /// <summary>Label of the means over the networks without fused ops (the paper's twelve, and any other).</summary>
    public const string MeanLabel = "geomean";

    /// <summary>Label of the means over the <c>_fused</c> variants.</summary>
    public const string FusedMeanLabel = "geomean_fused";

    /// <summary>
    /// Geometric means per policy (in <see cref="Policies"/> order): one group over the networks without fused
    /// ops and one over the <c>_fused</c> variants, so that a CNN counted in both forms does not weigh twice;
    /// groups with no network are left out.
    /// </summary>
    public IReadOnlyList<BenchMean> Means
    {
        get
        {
            var means = new List<BenchMean>();
            foreach (var (label, fused) in new[] { (MeanLabel, false), (FusedMeanLabel, true) })
            {
                var networks = Networks.Where(n => IsFused(n) == fused).ToHashSet(StringComparer.Ordinal);
                if (networks.Count == 0)
                {
                    continue;
                }
                foreach (var p in Policies)
                {
                    var rows = Rows.Where(r => r.Policy == p && networks.Contains(r.Network)).ToArray();
                    means.Add(new BenchMean(label, p, GeoMean(rows.Select(r => r.Speedup)), GeoMean(rows.Select(r => r.EnergyReduction))));
                }
            }
            return means;
        }
    }

    private static bool IsFused(string network) => Workloads.Networks.TryGet(network, out var spec) && spec.Fused;

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
