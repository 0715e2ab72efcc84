using System.Text;
using OnSram.Accelerator.Configuration;
using OnSram.Runtime.Simulation;
using OnSram.Runtime.Traces;
using OnSram.Speculation.Policies;
using OnSram.Speculation.Reports;
using OnSram.Speculation.Simulation;
using static OnSram.Runtime.Binding;

namespace OnSram.Runtime.Tests.Traces;

public sealed class TraceReplayTests
{
    public static TheoryData<string> Policies()
    {
        var data = new TheoryData<string>();
        foreach (var name in PolicyRegistry.Default.Names)
        {
            data.Add(name);
        }
        return data;
    }

    /// <summary>
    /// A meta-mode script with a residual block, a view, a copy, a reduction and host-side releases, three
    /// iterations, activations of 1 MiB in FP16 (so two of them fill half the paper preset's SPM).
    /// </summary>
    internal static void Script(EagerContext context)
    {
        using var activation = context.Activate();
        var x = tf.random.normal(new Shape(1, 128, 128, 32), seed: 3);
        var w = tf.random.normal(new Shape(32), seed: 4);
        for (var i = 0; i < 3; i++)
        {
            using (tf.scope())
            {
                var a = tf.nn.relu(x);
                var b = tf.nn.sigmoid(tf.add(a, w));
                var c = tf.add(a, b);
                var d = tf.reshape(c, new Shape(128 * 128, 32));
                var e = tf.transpose(d);
                var f = tf.reduce_mean(e, 1);
                tf.nn.softmax(tf.reshape(f, new Shape(1, 32)));
            }
            context.Mark("iteration");
        }
        x.Dispose();
        w.Dispose();
    }

    private static (SimulationReport Live, MemoryStream Trace, string LiveLog) RecordLive(string policy, string? logPath = null)
    {
        var context = new EagerContext(new EagerOptions(MetaMode: true));
        var trace = new MemoryStream();
        var writer = new TraceWriter(trace, leaveOpen: true);
        SimulationReport report;
        using (context.Attach(writer))
        using (var session = SimulationSession.Attach(context, policy, AcceleratorPresets.Paper, new SimulationSessionOptions(LogPath: logPath, Errors: TextWriter.Null)))
        {
            Script(context);
            report = session.Report();
        }
        writer.Dispose();
        trace.Position = 0;
        return (report, trace, logPath is null ? "" : File.ReadAllText(logPath));
    }

    private static TraceReplayResult Replay(MemoryStream trace, TraceReplayOptions options)
    {
        using var reader = new TraceReader(trace, "live.jsonl", leaveOpen: true);
        return TraceReplay.Run(reader, options);
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Run_RecordedLiveRun_GivesTheLiveReportByteForByte(string policy)
    {
        var (live, trace, _) = RecordLive(policy);

        var replay = Replay(trace, new TraceReplayOptions(policy, AcceleratorPresets.Paper, Errors: TextWriter.Null));

        live.Totals.Ops.Should().Be(21, "seven ops per iteration (the reshapes are views)");
        ReportJson.ToJson(replay.Report).Should().Be(ReportJson.ToJson(live));
        replay.Report.UnknownOps.Should().BeEmpty();
        replay.Report.SkippedLines.Should().Be(0);
    }

    [Fact]
    public void Run_RecordedLiveRun_WritesTheLiveSpeculationLog()
    {
        var directory = Directory.CreateTempSubdirectory("onsram-replay-log-").FullName;
        try
        {
            var (_, trace, liveLog) = RecordLive("lru", Path.Combine(directory, "live.jsonl"));
            var replayLog = Path.Combine(directory, "replay.jsonl");

            Replay(trace, new TraceReplayOptions("lru", LogPath: replayLog, Errors: TextWriter.Null));

            liveLog.Should().Contain("\"decision\":\"hold\"");
            File.ReadAllText(replayLog).Should().Be(liveLog);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Run_PreviewPolicyPastTheThreshold_NotesThatTheStreamIsBuffered()
    {
        var (_, trace, _) = RecordLive("baseline");
        var errors = new StringWriter();

        Replay(trace, new TraceReplayOptions("static", Errors: errors, LargeStreamEvents: 10));
        trace.Position = 0;
        var streaming = new StringWriter();
        Replay(trace, new TraceReplayOptions("lru", Errors: streaming, LargeStreamEvents: 10));

        errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle()
            .Which.Should().Contain("policy 'static' previews the whole stream");
        streaming.ToString().Should().BeEmpty();
    }

    [Fact]
    public void Run_UnknownPolicy_ListsTheAllowedNames()
    {
        var (_, trace, _) = RecordLive("baseline");

        var act = () => Replay(trace, new TraceReplayOptions("bogus"));

        act.Should().Throw<ArgumentException>().WithMessage("*'bogus'*baseline*lru*static*");
    }

    [Fact]
    public void Run_MalformedLine_ThrowsWithFileAndLine()
    {
        var text = TraceText.Lines(TraceText.Header, TraceText.Op("Relu", [TraceText.T(1, "4")], [TraceText.T(2, "4")]), TraceText.Free(9));
        using var reader = new TraceReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), "bad.jsonl");

        var act = () => TraceReplay.Run(reader, new TraceReplayOptions("lru"));

        act.Should().Throw<TraceFormatException>().WithMessage("bad.jsonl:3: free of unknown tensor 9*");
    }

    [Fact]
    public void Run_AddAlias_IsPlannedLikeAddV2()
    {
        var line = (string op) => TraceText.Lines(TraceText.Header,
            TraceText.Op(op, [TraceText.T(1, "8,16"), TraceText.T(2, "16")], [TraceText.T(3, "8,16")]), TraceText.Free(3));
        using var add = new TraceReader(new MemoryStream(Encoding.UTF8.GetBytes(line("Add"))), "add.jsonl");
        using var addV2 = new TraceReader(new MemoryStream(Encoding.UTF8.GetBytes(line("AddV2"))), "addv2.jsonl");

        var a = TraceReplay.Run(add, new TraceReplayOptions("lru")).Report;
        var b = TraceReplay.Run(addV2, new TraceReplayOptions("lru")).Report;

        a.UnknownOps.Should().BeEmpty();
        a.Totals.Flops.Should().Be(128);
        a.Totals.Should().Be(b.Totals);
    }
}
