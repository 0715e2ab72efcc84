using System.Text.Json;
using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Policies;
using OnSram.Speculation.Reports;
using OnSram.Speculation.Simulation;
using OnSram.Speculation.Tests.Support;

namespace OnSram.Speculation.Tests.Reports;

/// <summary>The report fields a replay adds (<c>iterations_from</c>, <c>skipped_lines</c>, <c>unknown_ops</c>) and the atomic file write.</summary>
public sealed class ReportReplayFieldsTests
{
    private static SimulationReport Run(string policy = "lru", int iterations = 3)
    {
        var config = AcceleratorPresets.Paper;
        var sim = new Simulator(PolicyRegistry.Default.Create(policy, config), config);
        MobileNetStream.Build(iterations).Feed(sim);
        return sim.Report();
    }

    private static JsonElement Parse(SimulationReport report) => JsonDocument.Parse(ReportJson.ToJson(report)).RootElement;

    [Fact]
    public void ToJson_OrdinaryRun_HasNoReplayKeys()
    {
        var root = Parse(Run());

        root.TryGetProperty("iterations_from", out _).Should().BeFalse();
        root.TryGetProperty("skipped_lines", out _).Should().BeFalse();
        root.TryGetProperty("unknown_ops", out _).Should().BeFalse();
    }

    [Fact]
    public void ToJson_SkippedLinesAndUnknownOps_WrittenSortedBeforeTheIterations()
    {
        var report = Run() with
        {
            SkippedLines = 2,
            UnknownOps = new Dictionary<string, long> { ["Zeta"] = 1, ["Alpha"] = 3, ["MyOp"] = 2 },
        };

        var text = ReportJson.ToJson(report);
        var root = Parse(report);

        root.GetProperty("skipped_lines").GetInt64().Should().Be(2);
        root.GetProperty("unknown_ops").EnumerateObject().Select(p => (p.Name, p.Value.GetInt64()))
            .Should().Equal(("Alpha", 3L), ("MyOp", 2L), ("Zeta", 1L));
        text.IndexOf("\"unknown_ops\"", StringComparison.Ordinal).Should().BeLessThan(text.IndexOf("\"iterations\"", StringComparison.Ordinal));
        ReportJson.Summary(report).Should().Contain("skipped 2 malformed trace line(s)").And.Contain("Alpha x3, MyOp x2, Zeta x1");
    }

    [Fact]
    public void FromIteration_One_SumsTheLaterIterationsAndKeepsTheirIndices()
    {
        var whole = Run(iterations: 3);

        var later = whole.FromIteration(1);

        var i1 = whole.Iterations[1];
        var i2 = whole.Iterations[2];
        later.FirstIteration.Should().Be(1);
        later.Iterations.Should().Equal(i1, i2);
        later.Totals.Ops.Should().Be(i1.Ops + i2.Ops);
        later.Totals.LatencySeconds.Should().Be(i1.LatencySeconds + i2.LatencySeconds);
        later.Totals.DramBytesRead.Should().Be(i1.DramBytesRead + i2.DramBytesRead);
        later.Totals.SpmHits.Should().Be(i1.SpmHits + i2.SpmHits);
        later.Totals.EnergyJoules.Should().BeApproximately(i1.EnergyJoules + i2.EnergyJoules, 1e-18);
        later.PeakSpmBytes.Should().Be(Math.Max(whole.IterationPeakSpmBytes[1], whole.IterationPeakSpmBytes[2]));
        later.Policy.Should().Be(whole.Policy);
        var root = Parse(later);
        root.GetProperty("iterations_from").GetInt32().Should().Be(1);
        root.GetProperty("ops").GetInt64().Should().Be(i1.Ops + i2.Ops);
        root.GetProperty("iterations").EnumerateArray().Select(e => e.GetProperty("index").GetInt32()).Should().Equal(1, 2);
        ReportJson.Summary(later).Should().Contain("figures of iterations 1 to 2");
    }

    [Fact]
    public void FromIteration_Zero_IsTheReportItself()
    {
        var whole = Run();

        whole.FromIteration(0).Should().BeSameAs(whole);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-1)]
    public void FromIteration_OutsideTheIterations_ThrowsNamingTheRange(int first)
    {
        var whole = Run(iterations: 3);

        var act = () => whole.FromIteration(first);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*iterations are 0 to 2*");
    }

    [Fact]
    public void WriteFile_ExistingFile_IsReplacedWithoutLeavingTemporaries()
    {
        var directory = Directory.CreateTempSubdirectory("onsram-report-").FullName;
        try
        {
            var path = Path.Combine(directory, "sub", "report.json");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "old");
            var report = Run(iterations: 1);

            ReportJson.WriteFile(path, report);

            File.ReadAllText(path).Should().Be(ReportJson.ToJson(report));
            Directory.GetFiles(Path.GetDirectoryName(path)!).Should().ContainSingle();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
