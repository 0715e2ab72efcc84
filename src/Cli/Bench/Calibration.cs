using OnSram.Workloads;

namespace OnSram.Cli.Bench;

/// <summary>A published figure next to ours.</summary>
/// <param name="Label">What is compared (<c>infinite-SPM speedup, mobilenet_v1</c>).</param>
/// <param name="Published">The published value.</param>
/// <param name="Ours">Our value, or null when the bench did not run what it needs.</param>
/// <param name="Unit">How values are shown: <c>x</c> (a factor) or <c>%</c> (a fraction shown in percent).</param>
/// <param name="Source">Where the published value comes from.</param>
/// <param name="Missing">Why <paramref name="Ours"/> is null (what to run), else empty.</param>
public sealed record CalibrationPoint(string Label, double Published, double? Ours, string Unit, string Source, string Missing = "")
{
    /// <summary>Ours / published − 1, or null.</summary>
    public double? Deviation => Ours is { } o ? o / Published - 1 : null;

    /// <summary>True when ours is within 20% of the published value (the project's acceptance band).</summary>
    public bool WithinBand => Deviation is { } d && Math.Abs(d) <= 0.20;

    /// <summary>A value in this point's unit (<c>5.17x</c>, <c>90%</c>).</summary>
    public string Format(double value) => Unit == "%" ? Formats.Percent(value) : Formats.Factor(value);

    /// <summary>Our value formatted, or <c>-</c>.</summary>
    public string OursText => Ours is { } o ? Format(o) : "-";

    /// <summary>The deviation formatted (<c>+3.2%</c>), or what is missing.</summary>
    public string DeviationText => Deviation is { } d ? Formats.SignedPercent(d) : Missing;
}

/// <summary>
/// The published calibration points of the OnSRAM evaluation (<c>shared/DESIGN.md</c> and the abstract of
/// Pal et al., ACM TECS 2022) and our figures for them from a bench.
/// </summary>
public static class Calibration
{
    private const string Design = "OnSRAM (TECS 2022), per DESIGN.md";
    private const string Abstract = "OnSRAM (TECS 2022), abstract";

    /// <summary>The published infinite-SPM speedups over the baseline at batch 1.</summary>
    public static IReadOnlyList<(string Network, double Speedup)> InfiniteSpeedups { get; } =
        [("mobilenet_v1", 5.17), ("resnet50", 1.75), ("vgg16", 1.19)];

    /// <summary>Share of the infinite-SPM gain OnSRAM-Static recovers (about 90%).</summary>
    public const double StaticGainShare = 0.90;

    /// <summary>Our figures for every published point, from <paramref name="result"/>.</summary>
    public static IReadOnlyList<CalibrationPoint> Compare(BenchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var points = new List<CalibrationPoint>();
        foreach (var (network, published) in InfiniteSpeedups)
        {
            var row = result.Find(network, "infinite");
            points.Add(new CalibrationPoint($"infinite-SPM speedup, {network}", published, row?.Speedup, "x", Design,
                row is null ? $"run {network} with infinite" : ""));
        }

        // The static share is taken over the paper's networks the bench ran (fused variants excluded:
        // the published figure is over the twelve).
        var paper = result.Networks.Where(n => Networks.Paper.Any(p => p.Name == n)).ToArray();
        var share = GainShare(result, paper, "static");
        points.Add(new CalibrationPoint("static gain / infinite gain (geomean speedups)", StaticGainShare, share, "%", Design,
            share is null ? "run static and infinite" : ""));

        // The abstract's ranges and means are over all twelve networks: compared only when all ran.
        var all = Networks.Paper.All(p => result.Networks.Contains(p.Name));
        var staticMax = all ? Max(result, paper, "static") : null;
        points.Add(new CalibrationPoint("static, best speedup", 4.8, staticMax, "x", Abstract, staticMax is null ? Need(all, "static") : ""));
        var eagerMax = all ? Max(result, paper, "eager") : null;
        points.Add(new CalibrationPoint("eager, best speedup", 3.1, eagerMax, "x", Abstract, eagerMax is null ? Need(all, "eager") : ""));
        var staticEnergy = all ? MeanEnergy(result, paper, "static") : null;
        points.Add(new CalibrationPoint("static, mean energy reduction (geomean)", 1.51, staticEnergy, "x", Abstract,
            staticEnergy is null ? Need(all, "static") : ""));
        var eagerEnergy = all ? MeanEnergy(result, paper, "eager") : null;
        points.Add(new CalibrationPoint("eager, mean energy reduction (geomean)", 1.23, eagerEnergy, "x", Abstract,
            eagerEnergy is null ? Need(all, "eager") : ""));
        return points;
    }

    /// <summary>
    /// (G − 1) / (G∞ − 1) where G is the geometric mean speedup of <paramref name="policy"/> and G∞ that of
    /// the infinite SPM over <paramref name="networks"/>; null when either did not run or G∞ is 1.
    /// </summary>
    internal static double? GainShare(BenchResult result, IReadOnlyList<string> networks, string policy)
    {
        var rows = Rows(result, networks, policy);
        var bound = Rows(result, networks, "infinite");
        if (rows.Length == 0 || rows.Length != bound.Length)
        {
            return null;
        }
        var g = BenchResult.GeoMean(rows.Select(r => r.Speedup));
        var gInf = BenchResult.GeoMean(bound.Select(r => r.Speedup));
        return gInf - 1 <= 1e-12 ? null : (g - 1) / (gInf - 1);
    }

    private static string Need(bool allNetworks, string policy) => allNetworks ? $"run {policy}" : "run the twelve networks";

    private static double? Max(BenchResult result, IReadOnlyList<string> networks, string policy)
    {
        var rows = Rows(result, networks, policy);
        return rows.Length == 0 ? null : rows.Max(r => r.Speedup);
    }

    private static double? MeanEnergy(BenchResult result, IReadOnlyList<string> networks, string policy)
    {
        var rows = Rows(result, networks, policy);
        return rows.Length == 0 ? null : BenchResult.GeoMean(rows.Select(r => r.EnergyReduction));
    }

    private static BenchRow[] Rows(BenchResult result, IReadOnlyList<string> networks, string policy) =>
        networks.Select(n => result.Find(n, policy)).OfType<BenchRow>().ToArray();
}
