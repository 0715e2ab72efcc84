using System.Text.Json;
using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Events;
using OnSram.Speculation.Policies.Baseline;
using OnSram.Speculation.Policies.Infinite;
using OnSram.Speculation.Policies.Lru;
using OnSram.Speculation.Reports;
using OnSram.Speculation.Simulation;
using OnSram.Speculation.Tests.Support;

namespace OnSram.Speculation.Tests.Simulation;

/// <summary><c>external_tensor_bytes_read</c>: the part of the external reads that is weights and the model input.</summary>
public sealed class SimulatorTrafficSplitTests
{
    private const long KiB = 1024;

    // x (the model input, 1 KiB) and w (a weight, 512 B) are external; a, b, c are activations of 1 KiB each.
    private static void TwoIterations(Simulator sim)
    {
        for (var it = 0; it < 2; it++)
        {
            var x = Ev.T(1, 512);
            var w = Ev.T(2, 256);
            var a = Ev.T(10 + 10 * it, 512);
            var b = Ev.T(11 + 10 * it, 512);
            var c = Ev.T(12 + 10 * it, 512);
            sim.OnOp(Ev.Vector("BiasAdd", 512, [x, w], a));   // x and w: 1536 B external
            sim.OnOp(Ev.Vector("AddN", 512, [a, w, w], b));   // w read twice by one op: 512 B once
            sim.OnOp(Ev.Vector("AddV2", 512, [a, b], c));     // activations only
            sim.OnRelease(a.Id);
            sim.OnRelease(b.Id);
            sim.OnMark(Marks.Iteration);
        }
    }

    [Fact]
    public void ExternalTensorBytesRead_WeightsInputAndActivations_CountsEachExternalOncePerOp()
    {
        var config = AcceleratorPresets.Paper;
        var baseline = new Simulator(new BaselinePolicy(), config);
        TwoIterations(baseline);
        var b = baseline.Report();
        var infinite = new Simulator(new InfinitePolicy(), config);
        TwoIterations(infinite);
        var i = infinite.Report();

        const long external = 1024 + 512 + 512;
        b.Iterations.Select(f => f.ExternalTensorBytesRead).Should().Equal(external, external);
        b.Totals.ExternalTensorBytesRead.Should().Be(2 * external, "iterations add up to the totals");
        // Baseline: a read back by ops 1 and 2, b by op 2; a, b and c written.
        b.Iterations[0].DramBytesRead.Should().Be(external + 3 * 1024);
        b.Iterations[0].DramBytesWritten.Should().Be(3 * 1024);
        // The infinite SPM reads nothing but external tensors, and the same ones.
        i.Iterations.Select(f => f.ExternalTensorBytesRead).Should().Equal(external, external);
        i.Iterations.Select(f => f.DramBytesRead).Should().Equal(external, external);

        using var doc = JsonDocument.Parse(ReportJson.ToJson(b));
        doc.RootElement.GetProperty("external_tensor_bytes_read").GetInt64().Should().Be(2 * external);
        doc.RootElement.GetProperty("iterations")[1].GetProperty("external_tensor_bytes_read").GetInt64().Should().Be(external);
    }

    [Fact]
    public void ExternalTensorBytesRead_CrowdedMatMul_ReFetchesStayOutOfIt()
    {
        // 256 KiB SPM of which 32 KiB are the streaming buffer. LRU holds h (112 KiB) and the MatMul's output y
        // (64 KiB): 80 KiB are left for the MatMul's 192 KiB of external operands, so it re-fetches.
        var config = AcceleratorPresets.Paper with { SpmBytes = 256 * KiB, StreamBufferBytes = 32 * KiB };
        var sim = new Simulator(new LruPolicy(), config);
        var h = Ev.T(10, 56 * 1024);
        var y = Ev.T(11, 256 * 128);
        sim.OnOp(Ev.Vector("Relu", 0, [Ev.T(1, 56 * 1024)], h));
        sim.OnOp(Ev.Matrix("MatMul", 2.0 * 256 * 128 * 256, [Ev.T(2, 256 * 256), Ev.T(3, 256 * 128)], y));
        sim.OnOp(Ev.Vector("AddV2", 0, [h, y], Ev.T(12, 256 * 128)));
        var t = sim.Report().Totals;

        t.ExternalTensorBytesRead.Should().Be((112 + 128 + 64) * KiB);
        t.RefetchBytes.Should().BePositive();
        t.SpmMisses.Should().Be(0);
        t.DramBytesRead.Should().Be(t.ExternalTensorBytesRead + t.RefetchBytes);
    }
}
