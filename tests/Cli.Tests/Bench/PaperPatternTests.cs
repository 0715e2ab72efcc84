using OnSram.Accelerator.Configuration;
using OnSram.Cli.Bench;
using OnSram.Workloads;

namespace OnSram.Cli.Tests.Bench;

/// <summary>
/// The published shape of the infinite-SPM gains on the paper preset (DESIGN.md): sequential networks
/// (AlexNet, VGG-16, PTB-LSTM) gain least, MobileNetV1 gains most, and MobileNetV1 > ResNet-50 > VGG-16.
/// The magnitudes are compared with the published ones in docs/results.md, not here.
/// </summary>
public sealed class PaperPatternTests
{
    private static readonly Lazy<BenchResult> s_result = new(() => BenchRunner.Run(
        new BenchPlan(Networks.Paper, ["baseline", "infinite"], AcceleratorPresets.Paper, 1)));

    private static double Infinite(string network) => s_result.Value.Find(network, "infinite")!.Speedup;

    [Fact]
    public void InfiniteSpeedup_PaperPreset_MobileNetAboveResNetAboveVgg()
    {
        Infinite("mobilenet_v1").Should().BeGreaterThan(Infinite("resnet50"));
        Infinite("resnet50").Should().BeGreaterThan(Infinite("vgg16"));
        Infinite("vgg16").Should().BeGreaterThan(1);
    }

    [Fact]
    public void InfiniteSpeedup_PaperPreset_SequentialNetworksGainLeastMobileNetMost()
    {
        var ranked = Networks.Paper.Select(n => n.Name).OrderBy(Infinite).ToArray();

        ranked.Take(3).Should().BeEquivalentTo("alexnet", "vgg16", "ptb_lstm");
        ranked[^1].Should().Be("mobilenet_v1");
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
