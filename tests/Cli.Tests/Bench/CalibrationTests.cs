using OnSram.Accelerator.Configuration;
using OnSram.Cli.Bench;
using OnSram.Speculation.Simulation;

namespace OnSram.Cli.Tests.Bench;

public sealed class CalibrationTests
{
    private static BenchRow Row(string network, string policy, double speedup, double energy = 1) =>
        new(network, policy, default, speedup, energy);

    private static BenchResult Result(params BenchRow[] rows) => new(AcceleratorPresets.Paper, 3,
        rows.Select(r => r.Network).Distinct().ToArray(), rows.Select(r => r.Policy).Distinct().ToArray(), rows);

    [Fact]
    public void Compare_InfiniteRows_DeviationIsOursOverPublishedMinusOne()
    {
        var result = Result(Row("mobilenet_v1", "baseline", 1), Row("mobilenet_v1", "infinite", 4.136), Row("vgg16", "baseline", 1),
            Row("vgg16", "infinite", 1.19));

        var points = Calibration.Compare(result);

        var mobilenet = points.Single(p => p.Label == "infinite-SPM speedup, mobilenet_v1");
        mobilenet.Deviation.Should().BeApproximately(4.136 / 5.17 - 1, 1e-12);
        mobilenet.DeviationText.Should().Be("-20.0%");
        mobilenet.WithinBand.Should().BeTrue();
        points.Single(p => p.Label == "infinite-SPM speedup, vgg16").DeviationText.Should().Be("+0.0%");
        var resnet = points.Single(p => p.Label == "infinite-SPM speedup, resnet50");
        resnet.Ours.Should().BeNull();
        resnet.DeviationText.Should().Be("run resnet50 with infinite");
        resnet.WithinBand.Should().BeFalse();
    }

    [Fact]
    public void Compare_StaticAndInfinite_GainShareIsRatioOfGeomeanGains()
    {
        // Geomean speedups: infinite sqrt(3*1.5*... ) computed below; static recovers part of it.
        var result = Result(Row("resnet50", "baseline", 1), Row("resnet50", "static", 1.5), Row("resnet50", "infinite", 2),
            Row("vgg16", "baseline", 1), Row("vgg16", "static", 1.1), Row("vgg16", "infinite", 1.2));

        var share = Calibration.Compare(result).Single(p => p.Unit == "%");

        var expected = (Math.Sqrt(1.5 * 1.1) - 1) / (Math.Sqrt(2 * 1.2) - 1);
        share.Ours.Should().BeApproximately(expected, 1e-12);
        share.Published.Should().Be(0.90);
    }

    [Fact]
    public void Compare_FewerThanTwelveNetworks_LeavesAbstractRangesOpen()
    {
        var result = Result(Row("resnet50", "baseline", 1), Row("resnet50", "static", 1.5), Row("resnet50", "eager", 1.2));

        var points = Calibration.Compare(result);

        points.Where(p => p.Source.Contains("abstract", StringComparison.Ordinal)).Should()
            .OnlyContain(p => p.Ours == null && p.DeviationText == "run the twelve networks");
    }

    [Fact]
    public void GeoMean_Values_IsExpOfMeanLog()
    {
        BenchResult.GeoMean([1, 4]).Should().BeApproximately(2, 1e-12);
        BenchResult.GeoMean([]).Should().Be(double.NaN);
    }

    [Fact]
    public void SpmHitRate_NoDeviceReads_IsNull()
    {
        var row = new BenchRow("x", "baseline", default(SimFigures) with { ExternalReads = 3 }, 1, 1);

        row.SpmHitRate.Should().BeNull();
        Formats.HitRate(row.SpmHitRate).Should().Be("-");
    }
}
