using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using OnSram.Runtime.Traces;
using static OnSram.Runtime.Binding;

namespace OnSram.Runtime.Tests.Traces;

public sealed class TraceWriterTests
{
    private static (EagerContext Context, IDisposable Activation) NewContext(bool meta = false)
    {
        var context = new EagerContext(new EagerOptions(MetaMode: meta), RoundTripOps.Registry);
        return (context, context.Activate());
    }

    private static string[] Text(MemoryStream ms) => Encoding.UTF8.GetString(ms.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Writer_Script_WritesHeaderOpsFreesAndMarksInTheDocumentedForm()
    {
        var (ctx, activation) = NewContext();
        using var _ = activation;
        var ms = new MemoryStream();
        var writer = new TraceWriter(ms, new TraceWriterOptions(Source: "test", Model: "m", Batch: 2), leaveOpen: true);
        using var __ = ctx.Attach(writer);
        var x = tf.constant(new float[6], new Shape(2, 3));
        var w = tf.constant(new float[12], new Shape(3, 4));

        var y = ctx.Execute("TestDense", [x, w], name: "dense")[0];
        var z = ctx.Execute("TestScale", [y], OpAttrs.Of(("alpha", 0.5)))[0];
        y.Dispose();
        ctx.Mark("iteration");
        writer.Dispose();

        Text(ms).Should().Equal(
            """{"format":"onsram-trace","version":1,"source":"test","model":"m","batch":2}""",
            $$$"""{"ev":"op","op":"TestDense","name":"dense","in":[{"id":{{{x.Id}}},"shape":[2,3],"dtype":"float32"},{"id":{{{w.Id}}},"shape":[3,4],"dtype":"float32"}],"out":[{"id":{{{y.Id}}},"shape":[2,4],"dtype":"float32"}],"attrs":{}}""",
            $$$"""{"ev":"op","op":"TestScale","in":[{"id":{{{y.Id}}},"shape":[2,4],"dtype":"float32"}],"out":[{"id":{{{z.Id}}},"shape":[2,4],"dtype":"float32"}],"attrs":{"alpha":0.5}}""",
            $$"""{"ev":"free","id":{{y.Id}}}""",
            """{"ev":"mark","label":"iteration"}""");
        writer.Ops.Should().Be(2);
        writer.Releases.Should().Be(1);
        writer.Marks.Should().Be(1);
    }

    [Fact]
    public void Writer_ViewsAndTensorsNoOpTouched_AreNotWrittenAndTheViewIdKeepsItsBase()
    {
        var (ctx, activation) = NewContext();
        using var _ = activation;
        var ms = new MemoryStream();
        var writer = new TraceWriter(ms, leaveOpen: true);
        using var __ = ctx.Attach(writer);
        var x = tf.constant(new float[6], new Shape(2, 3));
        var unused = tf.constant(1f);

        var v = ctx.Execute("TestView", [x], OpAttrs.Of(("shape", new long[] { 6 })))[0];
        var z = ctx.Execute("TestScale", [v], OpAttrs.Of(("alpha", 2.0)))[0];
        unused.Dispose();
        x.Dispose();
        v.Dispose();
        writer.Dispose();

        var lines = Text(ms);
        lines.Should().HaveCount(3, "header, one op (the view is not an op), one free (the unused constant's release is not written)");
        lines[1].Should().Contain($$"""{"id":{{x.Id}},"shape":[6],"dtype":"float32"}""");
        lines[2].Should().Be($$"""{"ev":"free","id":{{x.Id}}}""");
        z.IsDisposed.Should().BeFalse();
    }

    [Fact]
    public void Writer_Attributes_AreSortedAndFormattedInvariantly()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            var (ctx, activation) = NewContext(meta: true);
            using var _ = activation;
            var ms = new MemoryStream();
            var writer = new TraceWriter(ms, leaveOpen: true);
            using var __ = ctx.Attach(writer);
            var x = tf.constant(new float[2]);

            ctx.Execute("TestAttrs", [x], RoundTripOps.AllKinds);
            writer.Dispose();

            var attrs = JsonDocument.Parse(Text(ms)[1]).RootElement.GetProperty("attrs");
            attrs.EnumerateObject().Select(p => p.Name).Should().BeInAscendingOrder(StringComparer.Ordinal);
            attrs.GetRawText().Should().Be(
                """{"T":"float16","alpha":0.1,"count":3,"empty":[],"flag":true,"floats":[1.0,2.5],"huge":1E+300,"ints":[1,-2,3],"names":["x","y"],"negzero":-0.0,"off":false,"one":1.0,"padding":"SAME","quoted":"a \"b\" \\ é <tag> +","tiny":1E-07}""");
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Writer_StreamFails_ReportsOnceAndNeverReachesTheScript()
    {
        var (ctx, activation) = NewContext();
        using var _ = activation;
        var errors = new StringWriter();
        var writer = new TraceWriter(new FailingStream(), new TraceWriterOptions(Errors: errors, DisplayName: "out.jsonl"));
        using var __ = ctx.Attach(writer);
        var x = tf.constant(new float[6], new Shape(2, 3));
        var w = tf.constant(new float[12], new Shape(3, 4));

        for (var i = 0; i < 3; i++)
        {
            ctx.Execute("TestDense", [x, w]);
            ctx.Mark("iteration");
        }
        writer.Dispose();

        writer.HasFailed.Should().BeTrue();
        writer.Failure.Should().Contain("disk full");
        errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle()
            .Which.Should().StartWith("onsram: trace recording to out.jsonl failed and stopped: IOException: disk full");
        ctx.ObserverFailures.Should().BeEmpty("the writer handles its own failures");
        writer.Marks.Should().Be(0);
    }

    [Fact]
    public void Create_GzPath_WritesAGzipTraceTheReaderReads()
    {
        var dir = Directory.CreateTempSubdirectory("onsram-trace-");
        try
        {
            var path = Path.Combine(dir.FullName, "run.jsonl.gz");
            var (ctx, activation) = NewContext();
            using (activation)
            {
                using var writer = TraceWriter.Create(path);
                using var _ = ctx.Attach(writer);
                var x = tf.constant(new float[6], new Shape(2, 3));
                var w = tf.constant(new float[12], new Shape(3, 4));
                ctx.Execute("TestDense", [x, w])[0].Dispose();
                ctx.Mark("iteration");
            }

            File.ReadAllBytes(path).AsSpan(0, 2).ToArray().Should().Equal(0x1f, 0x8b);
            var sink = new RecordingSink();
            var stats = TraceReader.Replay(path, sink, new TraceReaderOptions(Registry: RoundTripOps.Registry));
            stats.Events.Should().Be(3);
            sink.Ops.Single().Flops.Should().Be(2 * 2 * 4 * 3);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void CreateContext_OnsramTraceSet_RecordsTheScriptToThatFile()
    {
        var dir = Directory.CreateTempSubdirectory("onsram-trace-");
        try
        {
            var path = Path.Combine(dir.FullName, "env.jsonl");
            var ctx = EnvironmentActivation.CreateContext(name => name == "ONSRAM_TRACE" ? path : null);
            using (ctx.Activate())
            {
                var x = tf.constant(new float[] { 1, 2 });
                ctx.Execute("Identity", [x]);
                ctx.Mark("iteration");
            }

            // Marks flush the trace; the file is completed at process exit.
            string[] lines;
            using (var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            using (var r = new StreamReader(s))
            {
                lines = r.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            }
            lines.Should().HaveCount(2);
            lines[0].Should().StartWith("""{"format":"onsram-trace","version":1,"source":"OnSRAM.NET """);
            lines[1].Should().Be("""{"ev":"mark","label":"iteration"}""", "Identity is a view, not an op");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void AttachFromEnvironment_FileCannotBeCreated_ReportsOnceAndDoesNotRecord()
    {
        var ctx = new EagerContext();
        var errors = new StringWriter();
        var path = Path.Combine(Path.GetTempPath(), "onsram-no-such-dir-" + Guid.NewGuid().ToString("N"), "t.jsonl");

        var writer = TraceActivation.AttachFromEnvironment(ctx, name => name == TraceActivation.TraceVariable ? path : null, errors);

        writer.Should().BeNull();
        errors.ToString().Should().StartWith($"onsram: ONSRAM_TRACE={path}: cannot create the trace file, not recording:");
        ctx.Mark("iteration");
    }

    [Fact]
    public void AttachFromEnvironment_VariableUnset_AttachesNothing()
    {
        var ctx = new EagerContext();

        TraceActivation.AttachFromEnvironment(ctx, _ => null).Should().BeNull();
        TraceActivation.AttachFromEnvironment(ctx, _ => "  ").Should().BeNull();
    }

    private sealed class FailingStream : MemoryStream
    {
        public override void Write(ReadOnlySpan<byte> buffer) => throw new IOException("disk full");

        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("disk full");
    }
}
