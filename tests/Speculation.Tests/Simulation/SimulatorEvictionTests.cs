using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Policies.Lru;
using OnSram.Speculation.Simulation;
using OnSram.Speculation.Tests.Support;

namespace OnSram.Speculation.Tests.Simulation;

public sealed class SimulatorEvictionTests
{
    // Three 1024-byte blocks of SPM; no streaming buffer so the small ops below always tile ideally.
    private static readonly AcceleratorConfig Small = AcceleratorPresets.Paper with { SpmBytes = 3072, StreamBufferBytes = 0 };
    private const long B = 1024; // 512 float32 elements on an FP16 device

    private static void Chain(Simulator sim)
    {
        var x = Ev.T(1, 512);
        var a = Ev.T(10, 512);
        var b = Ev.T(11, 512);
        var c = Ev.T(12, 512);
        var d = Ev.T(13, 512);
        var e = Ev.T(14, 512);
        sim.OnOp(Ev.Vector("Relu", 512, [x], a));      // op0: a held, SPM 1/3
        sim.OnOp(Ev.Vector("Relu", 512, [a], b));      // op1: a hit, b held, 2/3
        sim.OnOp(Ev.Vector("Relu", 512, [b], c));      // op2: b hit, c held, full
        sim.OnOp(Ev.Vector("Relu", 512, [c], d));      // op3: c hit; d evicts a (used last at op1): written back
        sim.OnOp(Ev.Vector("AddV2", 512, [a, d], e));  // op4: a is a miss, d a hit; e evicts b (op2)
    }

    [Fact]
    public void Lru_FullSpm_EvictsLeastRecentlyUsedWritesItBackAndALaterReadMisses()
    {
        var policy = new RecordingLruPolicy();
        var sim = new Simulator(policy, Small, new SimulatorOptions(RecordOps: true));
        Chain(sim);
        var t = sim.Report().Totals;

        t.SpmHits.Should().Be(4);     // a@1, b@2, c@3, d@4
        t.SpmMisses.Should().Be(1);   // a@4
        t.ExternalReads.Should().Be(1);
        t.Holds.Should().Be(5);
        t.Evictions.Should().Be(2);
        // a and b evicted live; e, never read, is a result written back at the end; c and d were consumed.
        t.WriteBacks.Should().Be(3);
        t.DramBytesRead.Should().Be(B + B);          // x, then a read back
        t.DramBytesWritten.Should().Be(3 * B);       // a, b, e
        sim.OpRecords[3].Cost.ExternalWriteBytes.Should().Be(B, "the victim a is written back during op3");
        sim.OpRecords[4].Cost.ExternalReadBytes.Should().Be(B);
        sim.OpRecords[4].Cost.ExternalWriteBytes.Should().Be(B, "the victim b is written back during op4");

        policy.Log.Should().ContainInOrder(
            "read op3 t12 Hit",
            "Evicted op3 t10 live=True written=True hits=1",
            "hold op3 t13 held=True evictions=1 frag=0",
            "charged op3 it0 read=0 write=1024 memory-bound=True",
            "read op4 t10 Miss",
            "read op4 t13 Hit",
            "Evicted op4 t11 live=True written=True hits=1");
    }

    [Fact]
    public void Lru_WithPreview_EvictsDeadTensorsWithoutWriteBack()
    {
        // Same chain without the last read of a: with the whole stream known, a is dead after op1.
        var policy = new PreviewingLruPolicy();
        var sim = new Simulator(policy, Small);
        var x = Ev.T(1, 512);
        sim.OnOp(Ev.Vector("Relu", 512, [x], Ev.T(10, 512)));
        sim.OnOp(Ev.Vector("Relu", 512, [Ev.T(10, 512)], Ev.T(11, 512)));
        sim.OnOp(Ev.Vector("Relu", 512, [Ev.T(11, 512)], Ev.T(12, 512)));
        sim.OnMark("iteration");
        sim.OnOp(Ev.Vector("Relu", 512, [Ev.T(12, 512)], Ev.T(13, 512)));
        sim.OnRelease(13);
        sim.OpCount.Should().Be(4);
        sim.Totals.Ops.Should().Be(0, "a previewing policy is simulated when the run is finished");

        var t = sim.Report().Totals;
        policy.RequestsBeforePreview.Should().Be(0);
        policy.Previewed!.Select(e => (e.Kind, e.OpIndex)).Should().Equal(
            (Events.SimEventKind.Op, 0), (Events.SimEventKind.Op, 1), (Events.SimEventKind.Op, 2),
            (Events.SimEventKind.Mark, 3), (Events.SimEventKind.Op, 3), (Events.SimEventKind.Release, 4));
        policy.Inner.Requests.Select(r => (r.OpIndex, r.Iteration)).Should().Equal((0, 0), (1, 0), (2, 0), (3, 1));
        t.Evictions.Should().Be(1);
        policy.Inner.Log.Should().Contain("Evicted op3 t10 live=False written=False hits=1");
        // 13 is released unread: a result, written back; nothing else is.
        t.WriteBacks.Should().Be(1);
        t.DramBytesWritten.Should().Be(B);
    }

    [Fact]
    public void HoldAll_FreeBytesSplitInHoles_FailsTheHoldFromFragmentation()
    {
        var config = AcceleratorPresets.Paper with { SpmBytes = 4 * B, StreamBufferBytes = 0 };
        var sim = new Simulator(new HoldAllPolicy(), config);
        var x = Ev.T(1, 512);
        for (var i = 0; i < 4; i++)
        {
            sim.OnOp(Ev.Vector("Relu", 512, [x], Ev.T(10 + i, 512)));
        }
        sim.OnRelease(10);
        sim.OnRelease(12);
        sim.State.FreeBytes.Should().Be(2 * B);
        sim.State.LargestFreeBlock.Should().Be(B);

        sim.OnOp(Ev.Vector("Concat", 0, [Ev.T(11, 512), Ev.T(13, 512)], Ev.T(20, 1024)));
        var t = sim.Report().Totals;
        t.FragmentationFailures.Should().Be(1);
        t.HoldFailures.Should().Be(1);
        t.Holds.Should().Be(4);
        t.SpmHits.Should().Be(2);
        sim.Iterations.Should().ContainSingle();
    }

    [Fact]
    public void Lru_FragmentedSpm_CountsTheFailureThenEvictsUntilABlockFits()
    {
        var config = AcceleratorPresets.Paper with { SpmBytes = 4 * B, StreamBufferBytes = 0 };
        var policy = new RecordingLruPolicy();
        var sim = new Simulator(policy, config);
        var x = Ev.T(1, 512);
        for (var i = 0; i < 4; i++)
        {
            sim.OnOp(Ev.Vector("Relu", 512, [x], Ev.T(10 + i, 512)));
        }
        sim.OnRelease(10);
        sim.OnRelease(12);
        sim.OnOp(Ev.Vector("Relu", 1024, [x], Ev.T(20, 1024)));
        var t = sim.Report().Totals;
        t.FragmentationFailures.Should().Be(1);
        t.Evictions.Should().Be(1);
        policy.Log.Should().Contain("Evicted op4 t11 live=True written=True hits=0");
        policy.Log.Should().Contain("hold op4 t20 held=True evictions=1 frag=1");
    }

    [Fact]
    public void Lru_HeldTensorsCrowdOutAMatMul_PaysRefetchTheBaselineDoesNot()
    {
        const long KiB = 1024;
        // 256 KiB SPM of which 32 KiB are the reserved streaming buffer: 224 KiB can be held.
        var config = AcceleratorPresets.Paper with { SpmBytes = 256 * KiB, StreamBufferBytes = 32 * KiB };
        var h = Ev.T(10, 56 * 1024);   // 112 KiB, held by LRU and read only after the MatMul
        var act = Ev.T(1, 256 * 256);  // [256 x 256] = 128 KiB, external
        var w = Ev.T(2, 256 * 128);    // [256 x 128] = 64 KiB, external
        var y = Ev.T(11, 256 * 128);   // [256 x 128] = 64 KiB
        const double flops = 2.0 * 256 * 128 * 256;
        void Run(Simulator sim)
        {
            sim.OnOp(Ev.Vector("Relu", 0, [Ev.T(3, 56 * 1024)], h));
            sim.OnOp(Ev.Matrix("MatMul", flops, [act, w], y));
            sim.OnOp(Ev.Vector("AddV2", 0, [Ev.T(12, 256 * 128), y], Ev.T(13, 256 * 128)));
            sim.OnOp(Ev.Vector("AddV2", 0, [h, Ev.T(12, 56 * 1024)], Ev.T(14, 56 * 1024)));
        }

        var lru = new Simulator(new LruPolicy(), config, new SimulatorOptions(RecordOps: true));
        Run(lru);
        var baseline = new Simulator(new OnSram.Speculation.Policies.Baseline.BaselinePolicy(), config, new SimulatorOptions(RecordOps: true));
        Run(baseline);

        // LRU holds h (112 KiB) and y (64 KiB): 48 KiB free + the 32 KiB buffer = 80 KiB for the tiles, less
        // than the 192 KiB of streamed inputs. Block-nested: chunks of 80 - 32 = 48 KiB, ceil(64 / 48) = 2
        // passes over w, each streaming act: 64 + 2 x 128 KiB. Square tiling: b = floor(sqrt(80 KiB / 6 B))
        // = 116, FLOPs x 2 B / 116. The cheaper one is charged.
        var crowded = lru.OpRecords[1];
        crowded.StagingBytes.Should().Be(80 * KiB);
        var blockNested = 64 * KiB + 2 * 128 * KiB;
        var squareTiling = (long)Math.Ceiling(flops * 2 / Math.Floor(Math.Sqrt(80 * KiB / 6.0)));
        crowded.Cost.ExternalReadBytes.Should().Be(Math.Min(blockNested, squareTiling));
        crowded.Cost.RefetchBytes.Should().Be(Math.Min(blockNested, squareTiling) - 192 * KiB);
        // The baseline holds nothing: the 192 KiB of inputs and the 64 KiB output fit the 256 KiB.
        baseline.OpRecords[1].StagingBytes.Should().Be(256 * KiB);
        baseline.OpRecords[1].Cost.ExternalReadBytes.Should().Be(192 * KiB);
        baseline.OpRecords[1].Cost.RefetchBytes.Should().Be(0);
        crowded.Cost.ExternalReadBytes.Should().BeGreaterThan(baseline.OpRecords[1].Cost.ExternalReadBytes);
    }

    [Fact]
    public void PostOpDrop_LiveTensor_IsWrittenBackAfterTheOpAndMissesLater()
    {
        var sim = new Simulator(new DropAfterReadPolicy(), AcceleratorPresets.Paper, new SimulatorOptions(RecordOps: true));
        var x = Ev.T(1, 512);
        var a = Ev.T(10, 512);
        sim.OnOp(Ev.Vector("Relu", 512, [x], a));
        sim.OnOp(Ev.Vector("Neg", 512, [a], Ev.T(11, 512)));
        sim.OnOp(Ev.Vector("Exp", 512, [a], Ev.T(12, 512)));
        var report = sim.Report();

        sim.OpRecords[1].AfterOpTransfer.ExternalWriteBytes.Should().Be(B);
        sim.OpRecords[0].AfterOpTransfer.ExternalWriteBytes.Should().Be(0, "x is external: nothing to drop");
        report.Totals.Drops.Should().Be(1);
        report.Totals.SpmHits.Should().Be(1);
        report.Totals.SpmMisses.Should().Be(1);
        // 11 and 12 are never read: results written back at the end, plus the dropped a.
        report.Totals.WriteBacks.Should().Be(3);
        report.Totals.LatencySeconds.Should().BeApproximately(sim.OpRecords.Sum(r => r.Cost.Seconds + r.AfterOpTransfer.Seconds)
            + 2 * B / AcceleratorPresets.Paper.ExternalBytesPerSecond, 1e-15);
    }

    [Fact]
    public void Drop_OutsideAfterOp_Throws()
    {
        var sim = new Simulator(new HoldAllPolicy(), AcceleratorPresets.Paper);
        sim.OnOp(Ev.Vector("Relu", 1, [Ev.T(1, 4)], Ev.T(10, 4)));
        var control = (OnSram.Speculation.Policies.ISpmControl)sim.State;
        FluentActions.Invoking(() => control.Drop(10, "now")).Should().Throw<InvalidOperationException>().WithMessage("*AfterOp*");
    }

    [Fact]
    public void VictimSelector_NamesAnInputOfTheOp_Throws()
    {
        var sim = new Simulator(new BadVictimPolicy(10), AcceleratorPresets.Paper with { SpmBytes = 2 * B, StreamBufferBytes = 0 });
        sim.OnOp(Ev.Vector("Relu", 1, [Ev.T(1, 512)], Ev.T(10, 512)));
        sim.OnOp(Ev.Vector("Relu", 1, [Ev.T(10, 512)], Ev.T(11, 512)));
        FluentActions.Invoking(() => sim.OnOp(Ev.Vector("Relu", 1, [Ev.T(10, 512)], Ev.T(12, 512))))
            .Should().Throw<InvalidOperationException>().WithMessage("*bad-victim*tensor 10*input or output*");
    }

    [Fact]
    public void VictimSelector_NamesATensorNotHeld_Throws()
    {
        var sim = new Simulator(new BadVictimPolicy(99), AcceleratorPresets.Paper with { SpmBytes = B, StreamBufferBytes = 0 });
        sim.OnOp(Ev.Vector("Relu", 1, [Ev.T(1, 512)], Ev.T(10, 512)));
        FluentActions.Invoking(() => sim.OnOp(Ev.Vector("Relu", 1, [Ev.T(1, 512)], Ev.T(11, 512))))
            .Should().Throw<InvalidOperationException>().WithMessage("*tensor 99*not held*");
    }
}
