using System.Text;
using System.Text.Json;
using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Policies;
using OnSram.Speculation.Reports;
using OnSram.Speculation.Simulation;
using OnSram.Speculation.Tests.Support;
using OnSram.Tests.Shared;

namespace OnSram.Speculation.Tests.Reports;

public sealed class ChromeTimelineWriterTests
{
    private static (IReadOnlyList<ChromeEvent> Events, JsonElement Root, SimulationReport Report) Run(string policy, int iterations = 2)
    {
        var config = AcceleratorPresets.Paper;
        var stream = new MemoryStream();
        SimulationReport report;
        using (var writer = new ChromeTimelineWriter(stream, $"test: {policy}", leaveOpen: true))
        {
            var sim = new Simulator(PolicyRegistry.Default.Create(policy, config), config, new SimulatorOptions(Recorder: writer));
            MobileNetStream.Build(iterations).Feed(sim);
            report = sim.Report();
            writer.EndSeconds.Should().Be(report.Totals.LatencySeconds);
        }
        var json = Encoding.UTF8.GetString(stream.ToArray());
        return (ChromeTraceValidator.Validate(json), JsonDocument.Parse(json).RootElement.Clone(), report);
    }

    private static bool HasArg(ChromeEvent e, string key) => e.Args!.Value.TryGetProperty(key, out var _);

    [Theory]
    [InlineData("baseline")]
    [InlineData("lru")]
    [InlineData("infinite")]
    [InlineData("pinfuse")]
    public void Write_MobileNetRun_EveryEventHasTheFormatsRequiredFields(string policy)
    {
        var (events, root, report) = Run(policy);

        events.Should().NotBeEmpty();
        root.GetProperty("displayTimeUnit").GetString().Should().Be("ns");
        root.GetProperty("otherData").GetProperty("policy").GetString().Should().Be(policy);
        events.Should().OnlyContain(e => e.Pid == ChromeTimelineWriter.ProcessId);
        var ops = events.Where(e => e.Phase == "X" && e.Tid is ChromeTimelineWriter.MatrixTrack or ChromeTimelineWriter.VectorTrack).ToList();
        ops.Should().HaveCount((int)report.Totals.Ops, "one span per op");
        ops.Select(e => e.Args!.Value.GetProperty("op_index").GetInt32()).Should().Equal(Enumerable.Range(0, ops.Count));
        foreach (var key in new[] { "iteration", "flops", "bound_by", "dram_bytes_read", "dram_bytes_written", "spm_bytes", "energy_joules", "spm_held_bytes" })
        {
            ops.Should().OnlyContain(e => HasArg(e, key), key);
        }
        ops.Where(e => e.Name == "Conv2D").Should().OnlyContain(e => e.Tid == ChromeTimelineWriter.MatrixTrack);
        ops.Where(e => e.Name == "Relu6").Should().OnlyContain(e => e.Tid == ChromeTimelineWriter.VectorTrack);
        ops.Sum(e => e.Args!.Value.GetProperty("dram_bytes_read").GetInt64()).Should().Be(report.Totals.DramBytesRead);
        ops.Sum(e => e.Args!.Value.GetProperty("flops").GetDouble()).Should().Be(report.Totals.Flops);
    }

    [Fact]
    public void Write_Lru_OpsFollowOneAnotherAndEndAtTheLatency()
    {
        var (events, _, report) = Run("lru");

        var spans = events.Where(e => e.Phase == "X").OrderBy(e => e.Ts).ToList();
        var ops = spans.Where(e => e.Tid != ChromeTimelineWriter.MemoryTrack).ToList();
        for (var i = 1; i < ops.Count; i++)
        {
            ops[i].Ts.Should().BeGreaterThanOrEqualTo(ops[i - 1].Ts + ops[i - 1].Dur!.Value - 1e-9, "ops run one after another");
        }
        var end = spans.Max(e => e.Ts + e.Dur!.Value);
        end.Should().BeApproximately(report.Totals.LatencySeconds * 1e6, report.Totals.LatencySeconds * 1e-3);
        var dma = spans.Where(e => e.Tid == ChromeTimelineWriter.MemoryTrack && e.Name.EndsWith(" DMA", StringComparison.Ordinal)).ToList();
        dma.Should().NotBeEmpty();
        foreach (var d in dma)
        {
            var op = ops.Single(o => o.Args!.Value.GetProperty("op_index").GetInt32() == d.Args!.Value.GetProperty("op_index").GetInt32());
            d.Ts.Should().Be(op.Ts);
            d.Dur!.Value.Should().BeLessThanOrEqualTo(op.Dur!.Value + 1e-12, "DMA overlaps its op's compute");
        }
    }

    [Fact]
    public void Write_Lru_SpmCounterTracksHeldBytes()
    {
        var (events, _, report) = Run("lru");

        var counter = events.Where(e => e.Phase == "C").ToList();
        counter.Should().OnlyContain(e => e.Name == ChromeTimelineWriter.SpmCounter);
        var values = counter.Select(e => e.Args!.Value.GetProperty("held_bytes").GetInt64()).ToList();
        values.Max().Should().BePositive().And.BeLessThanOrEqualTo(report.PeakSpmBytes);
        values.Zip(values.Skip(1)).Should().OnlyContain(p => p.First != p.Second, "a value is written only when it changes");
    }

    [Fact]
    public void Write_Metadata_NamesTheProcessAndEveryTrack()
    {
        var (events, _, _) = Run("baseline", iterations: 1);

        var names = events.Where(e => e.Phase == "M" && e.Name == "thread_name")
            .ToDictionary(e => e.Tid, e => e.Args!.Value.GetProperty("name").GetString());
        names.Should().Contain(ChromeTimelineWriter.MatrixTrack, "matrix unit").And.Contain(ChromeTimelineWriter.VectorTrack, "vector unit")
            .And.Contain(ChromeTimelineWriter.MemoryTrack, "external memory");
        events.Single(e => e.Phase == "M" && e.Name == "process_name").Args!.Value.GetProperty("name").GetString().Should().Be("test: baseline");
        events.Where(e => e.Phase == "i").Select(e => e.Name).Should().Equal("iteration 0");
    }

    [Fact]
    public void Write_Infinite_EndOfRunWriteBackIsOnTheMemoryTrack()
    {
        var (events, _, _) = Run("infinite", iterations: 1);

        events.Should().ContainSingle(e => e.Name == "result write-back (end of run)")
            .Which.Tid.Should().Be(ChromeTimelineWriter.MemoryTrack);
    }

    [Fact]
    public void Dispose_BeforeTheRunFinished_LeavesValidJsonMarkedIncomplete()
    {
        var stream = new MemoryStream();
        var config = AcceleratorPresets.Paper;
        using (var writer = new ChromeTimelineWriter(stream, "cut short", leaveOpen: true))
        {
            var sim = new Simulator(PolicyRegistry.Default.Create("lru", config), config, new SimulatorOptions(Recorder: writer));
            var s = new StreamBuilder();
            s.Vector("Relu", [s.Tensor(1024)]);
            s.Feed(sim);
        }

        var json = Encoding.UTF8.GetString(stream.ToArray());
        ChromeTraceValidator.Validate(json).Should().Contain(e => e.Name == "Relu");
        JsonDocument.Parse(json).RootElement.GetProperty("otherData").GetProperty("incomplete").GetBoolean().Should().BeTrue();
    }
}
