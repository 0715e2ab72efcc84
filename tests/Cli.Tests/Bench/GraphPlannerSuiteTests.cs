using System.Globalization;
using OnSram.Accelerator.Configuration;
using OnSram.Cli.Bench;
using OnSram.Speculation.Policies;
using OnSram.Workloads;
using Xunit.Abstractions;

namespace OnSram.Cli.Tests.Bench;

/// <summary>
/// The graph planners on the suite, paper preset, meta mode (docs/results.md, "Graph-level planners on the suite"):
/// OnSRAM-Static recovers most of the infinite-SPM gain on the branchy networks, and Pin-or-Fuse moves less
/// feature-map data off chip on MobileNetV1 than pinning alone or fusion alone. The figures are printed
/// (<c>--logger "console;verbosity=detailed"</c>).
/// </summary>
public sealed class GraphPlannerSuiteTests(ITestOutputHelper output)
{
    /// <summary>The branchy networks of the issue: residual, inception and fire modules, and MobileNetV1.</summary>
    private static readonly string[] s_branchy = ["resnet50", "googlenet", "inception_v3", "inception_v4", "squeezenet", "mobilenet_v1"];

    /// <summary>An infinite SPM that cannot hold a tensor larger than the real SPM's holdable part: the most any
    /// policy pinning whole tensors could get, if co-resident tensors never crowded each other out.</summary>
    private const string Fitting = "infinite-fitting";

    private static readonly Lazy<BenchResult> s_shares = new(() => BenchRunner.Run(
        new BenchPlan(s_branchy.Select(Networks.Get).ToArray(), ["baseline", "static", Fitting, "infinite"], AcceleratorPresets.Paper, 1)
        {
            Registry = PolicyRegistry.Default.With(Fitting, config => new FittingInfinitePolicy(config), "infinite SPM holding tensors that fit the real SPM"),
        }));

    private static readonly Lazy<BenchResult> s_mobileNet = new(() => BenchRunner.Run(
        new BenchPlan([Networks.Get("mobilenet_v1")], ["baseline", "pin", "fuse", "pinfuse", "static", "infinite"], AcceleratorPresets.Paper, 1)));

    private static double Share(BenchResult r, string network, string policy, string bound) =>
        (r.Find(network, policy)!.Speedup - 1) / (r.Find(network, bound)!.Speedup - 1);

    [Fact]
    public void StaticShare_BranchyNetworks_RecoversMostOfTheInfiniteGain()
    {
        var r = s_shares.Value;
        foreach (var network in s_branchy)
        {
            var share = Share(r, network, "static", "infinite");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{network,-13} static {r.Find(network, "static")!.Speedup:0.000}x infinite {r.Find(network, "infinite")!.Speedup:0.000}x share {share:P1}; fitting bound {r.Find(network, Fitting)!.Speedup:0.000}x, share of it {Share(r, network, "static", Fitting):P1}"));
            // "Most": more than half, the issue's word; the measured shares are in docs/results.md.
            share.Should().BeGreaterThan(0.5, network);
        }
    }

    [Fact]
    public void StaticShare_SqueezeNet_ShortfallIsTheMapsLargerThanTheSpm()
    {
        var r = s_shares.Value;

        // SqueezeNet's first three activations (111 x 111 x 96, 2.37 MB) exceed the 2 MiB SPM: no pinning policy can
        // hold them. Without them the bound drops from 3.45x to 2.32x, and static recovers about as much of that as the
        // published OnSRAM-Static recovers of the infinite SPM's gain (about 90%, DESIGN.md).
        r.Find("squeezenet", Fitting)!.Speedup.Should().BeLessThan(r.Find("squeezenet", "infinite")!.Speedup);
        Share(r, "squeezenet", "static", Fitting).Should().BeGreaterThanOrEqualTo(0.9);
    }

    [Fact]
    public void FeatureMapTraffic_MobileNetV1_PinFuseBelowPinOnlyAndFuseOnly()
    {
        var r = s_mobileNet.Value;
        long FeatureMaps(string policy) => r.Find("mobilenet_v1", policy)!.FeatureMapDramBytes;
        foreach (var policy in r.Policies)
        {
            var row = r.Find("mobilenet_v1", policy)!;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"mobilenet_v1 {policy,-9} read {row.Figures.DramBytesRead / 1e6:0.000} MB (weights and input {row.Figures.ExternalTensorBytesRead / 1e6:0.000}, re-fetch {row.Figures.RefetchBytes / 1e6:0.000}) written {row.Figures.DramBytesWritten / 1e6:0.000} MB feature maps {row.FeatureMapDramBytes / 1e6:0.000} MB"));
        }

        FeatureMaps("pinfuse").Should().BeLessThan(FeatureMaps("pin"));
        FeatureMaps("pinfuse").Should().BeLessThan(FeatureMaps("fuse"));
        // The weights and the input are read the same way under every policy.
        r.Rows.Select(x => x.Figures.ExternalTensorBytesRead).Distinct().Should().ContainSingle();
    }

    private sealed class FittingInfinitePolicy(AcceleratorConfig config) : ISpmPolicy, IConfigOverride
    {
        private readonly long _holdable = config.HoldableSpmBytes & ~(config.AlignmentBytes - 1);

        public string Name => Fitting;

        public AcceleratorConfig Apply(AcceleratorConfig c) => c with { SpmBytes = AcceleratorConfig.UnboundedSpmBytes };

        public HoldDecision Decide(in HoldRequest request) =>
            request.BlockBytes <= _holdable ? HoldDecision.Hold("fits the real SPM") : HoldDecision.Discard("larger than the real SPM");
    }
}
