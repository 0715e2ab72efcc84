using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Events;
using OnSram.Speculation.Policies;
using OnSram.Speculation.Simulation;
using OnSram.Speculation.Tests.Support;

namespace OnSram.Speculation.Tests.Simulation;

public sealed class SimulatorRecorderTests
{
    private static readonly AcceleratorConfig P = AcceleratorPresets.Paper;

    /// <summary>Records what the simulator reports, checking each op's held bytes against the live SPM state.</summary>
    private sealed class Recorder : ISimulationRecorder
    {
        public Simulator? Sim { get; set; }

        public List<OpRecord> Ops { get; } = new();

        public List<TransferRecord> Transfers { get; } = new();

        /// <summary>Times in the order the recorder saw them (ops, their after-op transfers, stand-alone transfers).</summary>
        public List<double> Seconds { get; } = new();

        public SimulationReport? Finished { get; private set; }

        public void OnOp(in OpRecord record)
        {
            Ops.Add(record);
            Seconds.Add(record.Cost.Seconds);
            Seconds.Add(record.AfterOpTransfer.Seconds);
            record.HeldBytesAfter.Should().Be(Sim!.State.CapacityBytes - Sim.State.FreeBytes, $"op {record.OpIndex}");
        }

        public void OnTransfer(in TransferRecord transfer)
        {
            Transfers.Add(transfer);
            Seconds.Add(transfer.Cost.Seconds);
            transfer.HeldBytes.Should().Be(Sim!.State.CapacityBytes - Sim.State.FreeBytes);
        }

        public void OnFinish(SimulationReport report)
        {
            Finished.Should().BeNull("OnFinish comes once");
            Finished = report;
        }
    }

    private static (Simulator Sim, Recorder Recorder, SimulationReport Report) Run(string policy, StreamBuilder stream, AcceleratorConfig? config = null)
    {
        config ??= P;
        var recorder = new Recorder();
        var sim = new Simulator(PolicyRegistry.Default.Create(policy, config), config, new SimulatorOptions(RecordOps: true, Recorder: recorder));
        recorder.Sim = sim;
        stream.Feed(sim);
        return (sim, recorder, sim.Report());
    }

    [Theory]
    [InlineData("baseline")]
    [InlineData("lru")]
    [InlineData("infinite")]
    [InlineData("static")]
    [InlineData("pinfuse-live")]
    public void Recorder_MobileNetRun_GetsEveryOpRecordAndTimesSummingToTheLatency(string policy)
    {
        var (sim, recorder, report) = Run(policy, MobileNetStream.Build(iterations: 2));

        recorder.Ops.Should().Equal(sim.OpRecords);
        recorder.Ops.Select(r => r.OpIndex).Should().Equal(Enumerable.Range(0, (int)report.Totals.Ops));
        recorder.Finished.Should().BeSameAs(report);
        // Same additions in the same order as the simulator's own total: exactly equal.
        recorder.Seconds.Aggregate(0.0, (sum, s) => sum + s).Should().Be(report.Totals.LatencySeconds);
        recorder.Ops.Max(r => r.HeldBytes).Should().BeLessThanOrEqualTo(report.PeakSpmBytes);
    }

    [Fact]
    public void Recorder_HeldResults_AreReportedAsReleaseAndEndOfRunTransfers()
    {
        var s = new StreamBuilder();
        var x = s.Tensor(65_536);
        var a = s.Vector("Relu", [x]);
        var b = s.Vector("Relu", [a]);
        var c = s.Vector("Relu", [a]);
        s.Release(b);
        s.Mark();

        var (_, recorder, report) = Run("infinite", s);

        recorder.Transfers.Select(t => (t.Kind, t.TensorId)).Should().Equal((TransferKind.ReleasedResult, b.Id), (TransferKind.EndOfRun, -1L));
        recorder.Transfers[0].Cost.ExternalWriteBytes.Should().Be(131_072);
        recorder.Transfers[0].OpIndex.Should().Be(3, "three ops ran before the release");
        recorder.Transfers[1].Cost.ExternalWriteBytes.Should().Be(131_072, "c, never read, is written back at the end");
        recorder.Transfers[1].HeldBytes.Should().Be(0);
        report.Totals.DramBytesWritten.Should().Be(2 * 131_072);
        _ = c;
    }

    [Fact]
    public void Recorder_PreviewPolicy_ReceivesEverythingAtFinish()
    {
        var recorder = new Recorder();
        var sim = new Simulator(PolicyRegistry.Default.Create("static", P), P, new SimulatorOptions(Recorder: recorder));
        recorder.Sim = sim;
        MobileNetStream.Build().Feed(sim);

        recorder.Ops.Should().BeEmpty("the policy previews the whole stream first");
        var report = sim.Report();

        recorder.Ops.Should().HaveCount((int)report.Totals.Ops);
    }

    [Fact]
    public void IterationPeaks_TwoIterations_OnePerIterationTheirMaxTheRunPeak()
    {
        var (_, _, report) = Run("lru", MobileNetStream.Build(iterations: 2));

        report.IterationPeakSpmBytes.Should().HaveCount(2);
        report.IterationPeakSpmBytes.Max().Should().Be(report.PeakSpmBytes);
        report.IterationPeakSpmBytes.Should().OnlyContain(p => p > 0);
    }
}
