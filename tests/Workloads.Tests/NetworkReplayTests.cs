using OnSram.Accelerator.Configuration;
using OnSram.Runtime.Simulation;
using OnSram.Runtime.Traces;
using OnSram.Speculation.Reports;
using OnSram.Tests.Shared;
using OnSram.Workloads.Tests.Support;

namespace OnSram.Workloads.Tests;

/// <summary>
/// Round trip of every suite network: a meta-mode run of two iterations, recorded with a
/// <see cref="TraceWriter"/> (what <c>ONSRAM_TRACE</c> attaches) while simulators run live, then the trace
/// replayed through <see cref="TraceReplay"/> (what <c>onsram replay</c> runs): the reports are identical,
/// byte for byte.
/// </summary>
public sealed class NetworkReplayTests
{
    private static readonly string[] s_policies = ["baseline", "lru"];

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in Networks.Names)
        {
            data.Add(name);
        }
        return data;
    }

    private static (MemoryStream Trace, Dictionary<string, string> Live) Record(string network, IEnumerable<string> policies)
    {
        var trace = new MemoryStream();
        var live = new Dictionary<string, string>();
        using var scope = Contexts.Meta();
        var writer = new TraceWriter(trace, leaveOpen: true);
        var sessions = policies.ToDictionary(p => p, p => SimulationSession.Attach(scope.Context, p, AcceleratorPresets.Paper,
            new SimulationSessionOptions(Errors: TextWriter.Null)));
        using (scope.Context.Attach(writer))
        {
            Networks.Get(network).Run(2);
        }
        writer.Dispose();
        writer.HasFailed.Should().BeFalse();
        foreach (var (policy, session) in sessions)
        {
            live[policy] = ReportJson.ToJson(session.Report());
            session.Dispose();
        }
        scope.Context.ObserverFailures.Should().BeEmpty();
        trace.Position = 0;
        return (trace, live);
    }

    private static TraceReplayResult Replay(MemoryStream trace, TraceReplayOptions options)
    {
        trace.Position = 0;
        using var reader = new TraceReader(trace, "network.jsonl", leaveOpen: true);
        return TraceReplay.Run(reader, options);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Replay_RecordedNetwork_GivesTheLiveReportByteForByte(string network)
    {
        var (trace, live) = Record(network, s_policies);

        foreach (var policy in s_policies)
        {
            var replay = Replay(trace, new TraceReplayOptions(policy, AcceleratorPresets.Paper, Errors: TextWriter.Null));

            replay.Statistics.Marks.Should().Be(2);
            replay.Report.Iterations.Should().HaveCount(2);
            replay.Report.UnknownOps.Should().BeEmpty();
            ReportJson.ToJson(replay.Report).Should().Be(live[policy], $"{network} under {policy}");
        }
    }

    [Fact]
    public void Replay_MobileNetUnderPreviewAndLivePlanners_GivesTheLiveReports()
    {
        string[] policies = ["static", "static-live", "pinfuse", "pinfuse-live", "onestep", "infinite"];
        var (trace, live) = Record("mobilenet_v1", policies);

        foreach (var policy in policies)
        {
            var replay = Replay(trace, new TraceReplayOptions(policy, AcceleratorPresets.Paper, Errors: TextWriter.Null));

            ReportJson.ToJson(replay.Report).Should().Be(live[policy], policy);
        }
    }

    [Fact]
    public void Timeline_ResNet50Replay_IsAValidChromeTraceWithOneSpanPerOp()
    {
        var (trace, _) = Record("resnet50", ["baseline"]);
        var json = new MemoryStream();
        TraceReplayResult result;
        using (var timeline = new Speculation.Reports.ChromeTimelineWriter(json, "resnet50: lru on paper", leaveOpen: true))
        {
            result = Replay(trace, new TraceReplayOptions("lru", AcceleratorPresets.Paper, Recorder: timeline, Errors: TextWriter.Null));
        }

        var events = ChromeTraceValidator.Validate(System.Text.Encoding.UTF8.GetString(json.ToArray()));
        var report = result.Report;
        var ops = events.Where(e => e.Phase == "X" && e.Tid is ChromeTimelineWriter.MatrixTrack or ChromeTimelineWriter.VectorTrack).ToList();
        ops.Should().HaveCount((int)report.Totals.Ops);
        ops.Select(e => e.Name).Should().Contain(["Conv2D", "FusedBatchNormV3", "Relu", "AddV2", "MaxPool"]);
        events.Where(e => e.Phase == "i").Select(e => e.Name).Should().Equal("iteration 0", "iteration 1");
        events.Where(e => e.Phase == "C").Should().NotBeEmpty();
        events.Where(e => e.Phase == "X").Max(e => e.Ts + e.Dur!.Value)
            .Should().BeApproximately(report.Totals.LatencySeconds * 1e6, report.Totals.LatencySeconds * 1e-3);
    }
}
