using OnSram.Accelerator.Configuration;
using OnSram.Accelerator.Cost;
using OnSram.Runtime.Traces;
using OnSram.Speculation.Simulation;
using static OnSram.Runtime.Tests.Traces.TraceText;

namespace OnSram.Runtime.Tests.Traces;

/// <summary>
/// A hand-written trace replayed through the simulator, its figures worked out by hand from the paper
/// preset (docs/cost-model.md): 3 TFLOP/s matrix, 375 GFLOP/s vector, 32 GB/s external, 384 GB/s SPM, FP16
/// on the device. Every activation holds 65,536 float32 elements: B = 131,072 device bytes.
/// <code>
/// x(1) external [1,64,64,16]        bias(2) external [16] = 32 bytes
/// op0 Relu(x) -> a(10)
///     an unknown event kind ("annotation"): counted, skipped
/// op1 AddV2(a viewed as [4096,16], bias) -> b(11)     (a view: a's id with another shape, same bytes)
/// free a
/// op2 MyCustomScan(b) -> c(12)                        (unknown op type: 0 FLOPs, vector, its bytes only)
/// free b
/// op3 Mul(c viewed as [65536], c viewed as [65536]) -> d(13)   (one tensor read twice: read once)
/// free c; mark iteration; free d (after the mark); free x (an external tensor)
/// </code>
/// </summary>
public sealed class TraceReplayHandWorkedTests
{
    private const long B = 131_072;
    private const long Bias = 32;
    private const double VectorFlops = 65_536;
    private static readonly AcceleratorConfig P = AcceleratorPresets.Paper;

    private static readonly string Trace = Lines(
        Header,
        Op("Relu", [T(1, "1,64,64,16")], [T(10, "1,64,64,16")]),
        """{"ev":"annotation","text":"a later format may say more here"}""",
        Op("AddV2", [T(10, "4096,16"), T(2, "16")], [T(11, "4096,16")]),
        Free(10),
        Op("MyCustomScan", [T(11, "4096,16")], [T(12, "4096,16")], """{"reverse":true}"""),
        Free(11),
        Op("Mul", [T(12, "65536"), T(12, "65536")], [T(13, "65536")]),
        Free(12),
        Mark(),
        Free(13),
        Free(1));

    private static (TraceReplayResult Result, CollectingRecorder Recorder) Replay(string policy)
    {
        var recorder = new CollectingRecorder();
        using var reader = Reader(Trace);
        var result = TraceReplay.Run(reader, new TraceReplayOptions(policy, P, Recorder: recorder, Errors: TextWriter.Null));
        return (result, recorder);
    }

    private static double Time(double flops, double peak, long ext, long spm) =>
        Math.Max(flops / peak, Math.Max(ext / P.ExternalBytesPerSecond, spm / P.SpmBytesPerSecond));

    private static double Transfer(long bytes) => Math.Max(bytes / P.ExternalBytesPerSecond, bytes / P.SpmBytesPerSecond);

    [Fact]
    public void Baseline_HandWrittenTrace_MatchesHandWorkedFigures()
    {
        var (result, recorder) = Replay("baseline");
        var t = result.Report.Totals;

        // Every input comes from external memory, every output goes back. SPM bytes = 2 x reads + writes x 2.
        var relu = Time(VectorFlops, P.VectorFlopsPerSecond, B + B, 2 * B + 2 * B);                     // 262,144 B: 8.192 us
        var add = Time(VectorFlops, P.VectorFlopsPerSecond, B + Bias + B, 2 * (B + Bias) + 2 * B);     // 262,176 B: 8.193 us
        var custom = Time(0, P.VectorFlopsPerSecond, B + B, 2 * B + 2 * B);                             // 8.192 us
        var mul = Time(VectorFlops, P.VectorFlopsPerSecond, B + B, 2 * B + 2 * B);                      // c read once: 8.192 us
        t.LatencySeconds.Should().BeApproximately(relu + add + custom + mul, 1e-15);
        t.LatencySeconds.Should().BeApproximately(32.769e-6, 1e-12);
        t.Ops.Should().Be(4);
        t.Flops.Should().Be(3 * VectorFlops, "Relu, AddV2 and Mul: one FLOP per element; the unknown op none");
        t.DramBytesRead.Should().Be(4 * B + Bias);
        t.DramBytesWritten.Should().Be(4 * B);
        t.SpmHits.Should().Be(0);
        t.SpmMisses.Should().Be(3, "a, b and c are read back (c once, though Mul lists it twice)");
        t.ExternalReads.Should().Be(2, "x and the bias");
        t.Discards.Should().Be(4);
        t.WriteBacks.Should().Be(4);
        t.MemoryBoundOps.Should().Be(4);
        recorder.Ops.Select(r => r.Cost.BoundBy).Should().AllBeEquivalentTo(BoundBy.External);
        recorder.Transfers.Should().BeEmpty();

        var report = result.Report;
        report.UnknownOps.Should().Equal(new Dictionary<string, long> { ["MyCustomScan"] = 1 });
        report.SkippedLines.Should().Be(0);
        report.Iterations.Should().ContainSingle().Which.Should().Be(t);
        result.Statistics.UnknownEventKinds.Should().Equal(new Dictionary<string, long> { ["annotation"] = 1 });
        result.Statistics.Releases.Should().Be(5);
        result.Statistics.Marks.Should().Be(1);
    }

    [Fact]
    public void Lru_HandWrittenTrace_MatchesHandWorkedFigures()
    {
        var (result, recorder) = Replay("lru");
        var t = result.Report.Totals;

        // Relu: x from external memory, a held (no write): 131,072 B external = 4.096 us.
        var relu = Time(VectorFlops, P.VectorFlopsPerSecond, B, 2 * B + B);
        // AddV2: a is a hit (read by the array from the SPM), the bias streams in, b held:
        // SPM bytes 2 x 32 + B + B = 262,208 at 384 GB/s = 0.68283 us (SPM-bound).
        var add = Time(VectorFlops, P.VectorFlopsPerSecond, Bias, 2 * Bias + B + B);
        // MyCustomScan: b a hit, c held: 2B SPM bytes = 0.68267 us.
        var custom = Time(0, P.VectorFlopsPerSecond, 0, B + B);
        // Mul: c a hit (once), d held.
        var mul = Time(VectorFlops, P.VectorFlopsPerSecond, 0, B + B);
        // free d after the mark: held and never read by an op, so a result: written back, 4.096 us.
        var result13 = Transfer(B);
        t.LatencySeconds.Should().BeApproximately(relu + add + custom + mul + result13, 1e-15);
        t.LatencySeconds.Should().BeApproximately(4.096e-6 + 0.68283333e-6 + 0.68266667e-6 + 0.68266667e-6 + 4.096e-6, 1e-13);
        t.DramBytesRead.Should().Be(B + Bias);
        t.DramBytesWritten.Should().Be(B);
        t.SpmHits.Should().Be(3);
        t.SpmMisses.Should().Be(0);
        t.ExternalReads.Should().Be(2);
        t.Holds.Should().Be(4);
        t.WriteBacks.Should().Be(1, "only d, the result");
        result.Report.PeakSpmBytes.Should().Be(2 * B, "an op's held input and its held output, both 64-byte aligned already");
        recorder.Ops.Select(r => r.Cost.BoundBy).Should().Equal(BoundBy.External, BoundBy.Spm, BoundBy.Spm, BoundBy.Spm);
        recorder.Transfers.Should().ContainSingle().Which.Should().Match<TransferRecord>(r =>
            r.Kind == TransferKind.ReleasedResult && r.TensorId == 13 && r.Cost.ExternalWriteBytes == B && r.HeldBytes == 0);
        result.Report.Iterations.Should().ContainSingle("the release after the mark has no op: it belongs to iteration 0")
            .Which.Should().Be(t);
    }

    [Fact]
    public void Replay_HandWrittenTraceWithSkippedLines_MatchesTheCleanTraceAndCountsThem()
    {
        var dirty = Trace.Replace(Free(11) + "\n", Free(11) + "\n" + """{"ev":"op","op":"Relu","in":[{"id":5,"shape":[-3]}],"out":[]}""" + "\n" + "not json\n");
        using var reader = Reader(dirty, new TraceReaderOptions(SkipBadLines: true));

        var result = TraceReplay.Run(reader, new TraceReplayOptions("lru", P, Errors: TextWriter.Null));

        var clean = Replay("lru").Result.Report;
        result.Report.SkippedLines.Should().Be(2);
        result.Report.Totals.Should().Be(clean.Totals);
        result.Statistics.BadLineMessages.Should().HaveCount(2);
        result.Statistics.BadLineMessages[0].Should().StartWith("hand.jsonl:8: ");
        result.Statistics.BadLineMessages[1].Should().StartWith("hand.jsonl:9: bad JSON");
    }

    private sealed class CollectingRecorder : ISimulationRecorder
    {
        public List<OpRecord> Ops { get; } = new();

        public List<TransferRecord> Transfers { get; } = new();

        public void OnOp(in OpRecord record) => Ops.Add(record);

        public void OnTransfer(in TransferRecord transfer) => Transfers.Add(transfer);

        public void OnFinish(SimulationReport report)
        {
        }
    }
}
