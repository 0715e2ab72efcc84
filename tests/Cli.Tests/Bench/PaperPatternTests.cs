using OnSram.Accelerator.Configuration;
using OnSram.Cli.Bench;
using OnSram.Workloads;

namespace OnSram.Cli.Tests.Bench;

/// <summary>The published shape of the infinite-SPM gains on the paper preset (DESIGN.md calibration points).</summary>
public sealed class PaperPatternTests
{
    private static readonly Lazy<BenchResult> s_result = new(() => BenchRunner.Run(new BenchPlan(
        new[] { "mobilenet_v1", "resnet50", "vgg16" }.Select(Networks.Get).ToArray(), ["baseline", "infinite"], AcceleratorPresets.Paper, 1)));

    [Fact]
    public void InfiniteSpeedup_PaperPreset_MobileNetGainsMostVggLeast()
    {
        var r = s_result.Value;
        var mobilenet = r.Find("mobilenet_v1", "infinite")!.Speedup;
        var resnet = r.Find("resnet50", "infinite")!.Speedup;
        var vgg = r.Find("vgg16", "infinite")!.Speedup;

        mobilenet.Should().BeGreaterThan(resnet);
        resnet.Should().BeGreaterThan(vgg);
        vgg.Should().BeGreaterThan(1);
    }

    [Fact]
    public void InfiniteSpeedup_PaperPreset_EveryNetworkGainsAndMovesLessExternalData()
    {
        foreach (var network in s_result.Value.Networks)
        {
            var baseline = s_result.Value.Find(network, "baseline")!;
            var infinite = s_result.Value.Find(network, "infinite")!;
            infinite.LatencySeconds.Should().BeLessThan(baseline.LatencySeconds, network);
            infinite.DramBytes.Should().BeLessThan(baseline.DramBytes, network);
            infinite.SpmHitRate.Should().Be(1, network);
        }
    }
}
