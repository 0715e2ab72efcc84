using System.Globalization;
using System.IO.Compression;
using System.Text;
using BenchmarkDotNet.Attributes;
using OnSram.Accelerator.Configuration;
using OnSram.Runtime.Traces;
using OnSram.Speculation.Events;

namespace OnSram.Benchmarks;

/// <summary>
/// Trace replay speed: a generated trace of about one million ops (a conv block with batch norm,
/// residual add, pooling and a dense head, repeated with fresh activation ids; every intermediate freed;
/// one mark per block) parsed, validated and planned into a counting sink (<c>Replay*</c>), or parsed and
/// simulated under the baseline policy on the paper preset exactly as <c>onsram replay</c> does
/// (<c>Simulate*</c>: <see cref="TraceReplay"/>). Each benchmark invocation reads the whole trace; the
/// reported time is per event (ops, frees and marks), so events/s = 1e9 / Mean.
/// </summary>
[MemoryDiagnoser]
public class TraceBenchmarks
{
    /// <summary>Events in the generated trace (see <see cref="TraceBenchmarkData"/>).</summary>
    public const int Events = TraceBenchmarkData.Events;

    private string _directory = string.Empty;
    private string _plain = string.Empty;
    private string _gzip = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("onsram-bench-trace-").FullName;
        _plain = Path.Combine(_directory, "million.jsonl");
        _gzip = _plain + ".gz";
        TraceBenchmarkData.Write(_plain, gzip: false);
        TraceBenchmarkData.Write(_gzip, gzip: true);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark(OperationsPerInvoke = Events)]
    public long ReplayJsonl() => Replay(_plain);

    [Benchmark(OperationsPerInvoke = Events)]
    public long ReplayJsonlGz() => Replay(_gzip);

    [Benchmark(OperationsPerInvoke = Events)]
    public double SimulateBaselineJsonl() => Simulate(_plain);

    [Benchmark(OperationsPerInvoke = Events)]
    public double SimulateBaselineJsonlGz() => Simulate(_gzip);

    private static double Simulate(string path)
    {
        var result = TraceReplay.Run(path, new TraceReplayOptions("baseline", AcceleratorPresets.Paper));
        if (result.Statistics.Events != Events || result.Report.Totals.Ops != TraceBenchmarkData.Ops)
        {
            throw new InvalidOperationException($"expected {Events} events and {TraceBenchmarkData.Ops} ops, simulated {result.Statistics.Events} and {result.Report.Totals.Ops}");
        }
        return result.Report.Totals.LatencySeconds;
    }

    private static long Replay(string path)
    {
        var sink = new CountingSink();
        var stats = TraceReader.Replay(path, sink);
        if (sink.Events != Events || stats.Events != Events)
        {
            throw new InvalidOperationException($"expected {Events} events, read {sink.Events}");
        }
        return sink.Events;
    }

    private sealed class CountingSink : IEventSink
    {
        public long Events;
        public double Flops;

        public void OnOp(in OpEvent op)
        {
            Events++;
            Flops += op.Flops;
        }

        public void OnRelease(long tensorId) => Events++;

        public void OnMark(string label) => Events++;
    }
}

/// <summary>Writes the benchmark's trace: <see cref="Blocks"/> blocks of 11 ops, 11 frees and a mark.</summary>
public static class TraceBenchmarkData
{
    public const int Blocks = 90_910;
    public const int OpsPerBlock = 11;
    public const int Ops = Blocks * OpsPerBlock;
    public const int Events = Blocks * (2 * OpsPerBlock + 1);

    private const string Conv = "\"attrs\":{\"data_format\":\"NHWC\",\"dilations\":[1,1,1,1],\"padding\":\"SAME\",\"strides\":[1,1,1,1]}";

    public static void Write(string path, bool gzip)
    {
        using var file = File.Create(path);
        using Stream stream = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
        using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        w.WriteLine("{\"format\":\"onsram-trace\",\"version\":1,\"source\":\"benchmark\",\"model\":\"block\",\"batch\":1}");
        // Weights 2..12 and the block input 1 are external; activations get fresh ids from 100.
        var next = 100L;
        const string act = "[1,56,56,64]";
        for (var b = 0; b < Blocks; b++)
        {
            var a = next++;
            Op(w, "Conv2D", [(1, act), (2, "[3,3,64,64]")], [(a, act)], Conv);
            var bn = next++;
            Op(w, "FusedBatchNormV3", [(a, act), (3, "[64]"), (4, "[64]"), (5, "[64]"), (6, "[64]")], [(bn, act)], "\"attrs\":{\"epsilon\":0.001,\"is_training\":false}");
            Free(w, a);
            var c = next++;
            Op(w, "Relu", [(bn, act)], [(c, act)], "\"attrs\":{}");
            Free(w, bn);
            var d = next++;
            Op(w, "Conv2D", [(c, act), (7, "[3,3,64,64]")], [(d, act)], Conv);
            Free(w, c);
            var e = next++;
            Op(w, "FusedBatchNormV3", [(d, act), (8, "[64]"), (9, "[64]"), (10, "[64]"), (11, "[64]")], [(e, act)], "\"attrs\":{\"epsilon\":0.001,\"is_training\":false}");
            Free(w, d);
            var f = next++;
            Op(w, "AddV2", [(e, act), (1, act)], [(f, act)], "\"attrs\":{}");
            Free(w, e);
            var g = next++;
            Op(w, "Relu", [(f, act)], [(g, act)], "\"attrs\":{}");
            Free(w, f);
            var h = next++;
            Op(w, "MaxPool", [(g, act)], [(h, "[1,28,28,64]")], "\"attrs\":{\"ksize\":[1,2,2,1],\"padding\":\"VALID\",\"strides\":[1,2,2,1]}");
            Free(w, g);
            var i = next++;
            Op(w, "Mean", [(h, "[1,28,28,64]")], [(i, "[1,64]")], "\"attrs\":{\"axis\":[1,2],\"keep_dims\":false}");
            Free(w, h);
            var j = next++;
            Op(w, "MatMul", [(i, "[1,64]"), (12, "[64,10]")], [(j, "[1,10]")], "\"attrs\":{\"transpose_a\":false,\"transpose_b\":false}");
            Free(w, i);
            var k = next++;
            Op(w, "Softmax", [(j, "[1,10]")], [(k, "[1,10]")], "\"attrs\":{}");
            Free(w, j);
            Free(w, k);
            w.WriteLine("{\"ev\":\"mark\",\"label\":\"iteration\"}");
        }
    }

    private static void Op(StreamWriter w, string op, (long Id, string Shape)[] ins, (long Id, string Shape)[] outs, string attrs)
    {
        w.Write("{\"ev\":\"op\",\"op\":\"");
        w.Write(op);
        w.Write("\",\"in\":[");
        Tensors(w, ins);
        w.Write("],\"out\":[");
        Tensors(w, outs);
        w.Write("],");
        w.Write(attrs);
        w.WriteLine('}');
    }

    private static void Tensors(StreamWriter w, (long Id, string Shape)[] ts)
    {
        for (var t = 0; t < ts.Length; t++)
        {
            if (t > 0)
            {
                w.Write(',');
            }
            w.Write("{\"id\":");
            w.Write(ts[t].Id.ToString(CultureInfo.InvariantCulture));
            w.Write(",\"shape\":");
            w.Write(ts[t].Shape);
            w.Write(",\"dtype\":\"float32\"}");
        }
    }

    private static void Free(StreamWriter w, long id)
    {
        w.Write("{\"ev\":\"free\",\"id\":");
        w.Write(id.ToString(CultureInfo.InvariantCulture));
        w.WriteLine('}');
    }
}
