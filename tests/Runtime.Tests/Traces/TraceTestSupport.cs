using System.Text;
using OnSram.Accelerator;
using OnSram.Runtime.Ops;
using OnSram.Runtime.Traces;
using OnSram.Speculation.Events;

namespace OnSram.Runtime.Tests.Traces;

/// <summary>Records the event stream a reader (or a live run, through <see cref="LiveEventRecorder"/>) emits.</summary>
public sealed class RecordingSink : IEventSink
{
    public List<OpEvent> Ops { get; } = new();
    public List<long> Releases { get; } = new();
    public List<string> Marks { get; } = new();

    /// <summary>Every event in order, as text: <c>op Conv2D in=[1,2] out=[3]</c>, <c>free 3</c>, <c>mark iteration</c>.</summary>
    public List<string> Lines { get; } = new();

    public void OnOp(in OpEvent op)
    {
        Ops.Add(op);
        Lines.Add($"op {op.OpType} in=[{string.Join(",", op.Inputs.Select(i => i.Id))}] out=[{string.Join(",", op.Outputs.Select(o => o.Id))}]");
    }

    public void OnRelease(long tensorId)
    {
        Releases.Add(tensorId);
        Lines.Add($"free {tensorId}");
    }

    public void OnMark(string label)
    {
        Marks.Add(label);
        Lines.Add($"mark {label}");
    }
}

/// <summary>Converts the live dispatch stream to simulator events (as a simulator attached live sees it).</summary>
public sealed class LiveEventRecorder : IEagerObserver
{
    public RecordingSink Sink { get; } = new();

    public void OnOp(in OpExecution op)
    {
        var ev = op.ToOpEvent();
        Sink.OnOp(in ev);
    }

    public void OnRelease(in TensorDescriptor tensor) => Sink.OnRelease(tensor.Id);

    public void OnMark(string label) => Sink.OnMark(label);
}

/// <summary>Builders for trace text in tests.</summary>
public static class TraceText
{
    public const string Header = """{"format":"onsram-trace","version":1,"source":"test","model":"hand","batch":1}""";

    public static string T(long id, string shape, string dtype = "float32") =>
        $$"""{"id":{{id}},"shape":[{{shape}}],"dtype":"{{dtype}}"}""";

    public static string Op(string op, string[] inputs, string[] outputs, string attrs = "{}") =>
        $$"""{"ev":"op","op":"{{op}}","in":[{{string.Join(",", inputs)}}],"out":[{{string.Join(",", outputs)}}],"attrs":{{attrs}}}""";

    public static string Free(long id) => $$"""{"ev":"free","id":{{id}}}""";

    public static string Mark(string label = "iteration") => $$"""{"ev":"mark","label":"{{label}}"}""";

    public static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";

    public static TraceReader Reader(string text, TraceReaderOptions? options = null, string name = "hand.jsonl") =>
        new(new MemoryStream(Encoding.UTF8.GetBytes(text)), name, options);

    public static (RecordingSink Sink, TraceStatistics Stats) Read(string text, TraceReaderOptions? options = null)
    {
        using var reader = Reader(text, options);
        var sink = new RecordingSink();
        var stats = reader.ReadToEnd(sink);
        return (sink, stats);
    }

    public static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Traces", "Fixtures", name);
}

/// <summary>
/// A test-only op definition: plans with a delegate, computes with an optional kernel. Used to give the
/// reader ops with known figures, independent of the built-in op library.
/// </summary>
public sealed class FakeOp(string opType, Func<OpInvocation, FakePlan> plan, Action<Tensor[], Tensor[]>? kernel = null) : IOpDefinition
{
    public string OpType { get; } = opType;

    public OpPlan Plan(OpInvocation invocation)
    {
        var p = plan(invocation);
        if (p.ViewOf >= 0)
        {
            return new ViewPlan(p.Outputs[0], p.ViewOf);
        }
        return new DelegatePlan(p.Outputs, p.Flops, p.Unit, p.Traits,
            kernel ?? ((_, _) => throw new InvalidOperationException($"{OpType} has no kernel in this test")));
    }
}

public sealed record FakePlan(TensorSpec[] Outputs, double Flops, ComputeUnit Unit, OpTraits Traits, int ViewOf = -1);
