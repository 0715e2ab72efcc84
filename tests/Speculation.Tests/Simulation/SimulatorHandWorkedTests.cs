using OnSram.Accelerator.Configuration;
using OnSram.Accelerator.Cost;
using OnSram.Speculation.Policies.Baseline;
using OnSram.Speculation.Policies.Infinite;
using OnSram.Speculation.Simulation;
using OnSram.Speculation.Tests.Support;

namespace OnSram.Speculation.Tests.Simulation;

/// <summary>
/// A 3-op chain, worked by hand from the paper preset's numbers:
/// a = MatMul(x, w) [matrix, 2*256^3 FLOPs]; b = Relu(a) [vector, 65536 FLOPs]; c = AddV2(b, a) [vector];
/// every tensor holds 65,536 float32 elements = 131,072 bytes in FP16. x and w are external.
/// </summary>
public sealed class SimulatorHandWorkedTests
{
    private const long B = 131_072; // device bytes of every tensor
    private const double MatMulFlops = 2.0 * 256 * 256 * 256;
    private const double VectorFlops = 65_536;
    private static readonly AcceleratorConfig P = AcceleratorPresets.Paper;

    private static SimulationReport Run(Simulator sim)
    {
        var x = Ev.T(1, 65_536);
        var w = Ev.T(2, 65_536);
        var a = Ev.T(10, 65_536);
        var b = Ev.T(11, 65_536);
        var c = Ev.T(12, 65_536);
        sim.OnOp(Ev.Matrix("MatMul", MatMulFlops, [x, w], a));
        sim.OnOp(Ev.Vector("Relu", VectorFlops, [a], b));
        sim.OnOp(Ev.Vector("AddV2", VectorFlops, [b, a], c));
        sim.OnRelease(10);
        sim.OnRelease(11);
        return sim.Report();
    }

    private static double Time(double flops, double peak, long ext, long spm) =>
        Math.Max(flops / peak, Math.Max(ext / P.ExternalBytesPerSecond, spm / P.SpmBytesPerSecond)) + P.OpOverheadSeconds;

    private static double Energy(double flops, double jPerFlop, long ext, long spm) =>
        flops * jPerFlop + spm * P.SpmJoulesPerByte + ext * P.ExternalJoulesPerByte;

    [Fact]
    public void Baseline_ThreeOpChain_MatchesHandWorkedFigures()
    {
        var sim = new Simulator(new BaselinePolicy(), P, new SimulatorOptions(RecordOps: true));
        var report = Run(sim);

        // MatMul: reads x and w (external), writes a. SPM: fills + array reads of 2B, array write + drain of a.
        long ext0 = 3 * B, spm0 = 2 * 2 * B + B + B;
        // Relu: reads a back (a miss), writes b.
        long ext1 = 2 * B, spm1 = 2 * B + B + B;
        // AddV2: reads b and a back (misses), writes c.
        long ext2 = 3 * B, spm2 = 2 * 2 * B + B + B;
        var latency = Time(MatMulFlops, P.MatrixFlopsPerSecond, ext0, spm0)
                      + Time(VectorFlops, P.VectorFlopsPerSecond, ext1, spm1)
                      + Time(VectorFlops, P.VectorFlopsPerSecond, ext2, spm2);
        var energy = Energy(MatMulFlops, P.MatrixJoulesPerFlop, ext0, spm0)
                     + Energy(VectorFlops, P.VectorJoulesPerFlop, ext1, spm1)
                     + Energy(VectorFlops, P.VectorJoulesPerFlop, ext2, spm2);

        var t = report.Totals;
        t.Ops.Should().Be(3);
        t.LatencySeconds.Should().BeApproximately(latency, 1e-15);
        // By hand: 12.288 us + 8.192 us + 12.288 us, every op bound by external traffic.
        t.LatencySeconds.Should().BeApproximately(32.768e-6, 1e-12);
        t.EnergyJoules.Should().BeApproximately(energy, 1e-15);
        t.DramBytesRead.Should().Be(5 * B);
        t.DramBytesWritten.Should().Be(3 * B);
        t.SpmHits.Should().Be(0);
        t.SpmMisses.Should().Be(3);
        t.ExternalReads.Should().Be(2);
        t.Holds.Should().Be(0);
        t.Discards.Should().Be(3);
        t.WriteBacks.Should().Be(3);
        sim.OpRecords.Select(r => r.Cost.BoundBy).Should().Equal(BoundBy.External, BoundBy.External, BoundBy.External);
        report.Iterations.Should().ContainSingle().Which.Should().Be(t);
    }

    [Fact]
    public void Infinite_ThreeOpChain_MatchesHandWorkedFiguresAndBeatsBaseline()
    {
        var sim = new Simulator(new InfinitePolicy(), P, new SimulatorOptions(RecordOps: true));
        var report = Run(sim);

        // MatMul: reads x and w, holds a (no write).
        long ext0 = 2 * B, spm0 = 2 * 2 * B + B;
        // Relu: a is a hit (read from SPM by the array), b held.
        long ext1 = 0, spm1 = B + B;
        // AddV2: b and a are hits, c held.
        long ext2 = 0, spm2 = 2 * B + B;
        // End of run: c was never read by an op, so it is a result: written back (drain from SPM).
        long extEnd = B, spmEnd = B;
        var latency = Time(MatMulFlops, P.MatrixFlopsPerSecond, ext0, spm0)
                      + Time(VectorFlops, P.VectorFlopsPerSecond, ext1, spm1)
                      + Time(VectorFlops, P.VectorFlopsPerSecond, ext2, spm2)
                      + Math.Max(extEnd / P.ExternalBytesPerSecond, spmEnd / P.SpmBytesPerSecond);
        var energy = Energy(MatMulFlops, P.MatrixJoulesPerFlop, ext0, spm0)
                     + Energy(VectorFlops, P.VectorJoulesPerFlop, ext1, spm1)
                     + Energy(VectorFlops, P.VectorJoulesPerFlop, ext2, spm2)
                     + Energy(0, 0, extEnd, spmEnd);

        var t = report.Totals;
        t.LatencySeconds.Should().BeApproximately(latency, 1e-15);
        // By hand: 11.185 us (compute-bound MatMul) + 0.683 us + 1.024 us (SPM-bound) + 4.096 us.
        t.LatencySeconds.Should().BeApproximately(11.184810666e-6 + 0.682666666e-6 + 1.024e-6 + 4.096e-6, 1e-12);
        t.EnergyJoules.Should().BeApproximately(energy, 1e-15);
        t.DramBytesRead.Should().Be(2 * B);
        t.DramBytesWritten.Should().Be(B);
        t.SpmHits.Should().Be(3);
        t.SpmMisses.Should().Be(0);
        t.Holds.Should().Be(3);
        t.WriteBacks.Should().Be(1);
        sim.OpRecords.Select(r => r.Cost.BoundBy).Should().Equal(BoundBy.Compute, BoundBy.Spm, BoundBy.Spm);
        report.SimulatedSpmBytes.Should().Be(AcceleratorConfig.UnboundedSpmBytes);
        report.Config.Should().Be(P);

        var baseline = Run(new Simulator(new BaselinePolicy(), P));
        t.LatencySeconds.Should().BeLessThan(baseline.Totals.LatencySeconds);
        t.EnergyJoules.Should().BeLessThan(baseline.Totals.EnergyJoules);
    }
}
