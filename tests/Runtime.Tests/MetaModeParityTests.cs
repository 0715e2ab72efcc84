using OnSram.Runtime.Tests.Support;
using static OnSram.Runtime.Binding;

namespace OnSram.Runtime.Tests;

/// <summary>
/// Meta mode (shapes only) must report the same op stream as real mode: same op types, same input and
/// output shapes, in the same order. Each test runs one script in both modes through <see cref="AssertParity"/>.
/// Scripts make their data with tf.random / tf.zeros (no storage in meta mode) and their shape
/// arguments with tf.constant (host values in both modes), as user scripts do.
/// </summary>
public sealed class MetaModeParityTests
{
    /// <summary>One recorded op: type, input specs and output specs, as text.</summary>
    public sealed record OpLine(string OpType, string Inputs, string Outputs)
    {
        public override string ToString() => $"{OpType} [{Inputs}] -> [{Outputs}]";
    }

    /// <summary>Runs <paramref name="script"/> in a fresh context of the given mode and records its op stream.</summary>
    public static List<OpLine> Record(bool meta, Action script)
    {
        using var t = new TestContext(meta: meta);
        var rec = new RecordingObserver();
        using (t.Context.Attach(rec))
        {
            script();
        }
        return rec.Ops.Select(o => new OpLine(
            o.OpType,
            string.Join(", ", o.Inputs.Select(i => $"{i.DType.Name()}{i.Shape.ToCompactString()}")),
            string.Join(", ", o.Outputs.Select(i => $"{i.DType.Name()}{i.Shape.ToCompactString()}")))).ToList();
    }

    /// <summary>Asserts that <paramref name="script"/> produces a non-empty op stream that is identical in
    /// real and meta mode. Returns the stream for further checks.</summary>
    public static List<OpLine> AssertParity(Action script)
    {
        var real = Record(meta: false, script);
        var meta = Record(meta: true, script);
        real.Should().NotBeEmpty("a parity check needs ops to compare");
        meta.Should().Equal(real, "meta mode must plan the same ops and shapes as real mode");
        return real;
    }

    [Fact]
    public void ArrayOps_ImagePipeline_SameStreamInBothModes()
    {
        var stream = AssertParity(() =>
        {
            var x = tf.random.normal(new Shape(1, 9, 9, 3), seed: 1);
            var padded = tf.pad(x, new[,] { { 0, 0 }, { 1, 2 }, { 2, 1 }, { 0, 0 } });
            var nchw = tf.transpose(padded, new[] { 0, 3, 1, 2 });
            var crop = tf.strided_slice(nchw, new[] { 0, 0, 1, 0 }, new[] { 0, 0, -1, 0 }, new[] { 1, 1, 2, -1 },
                begin_mask: 0b1011, end_mask: 0b1011);
            var left = tf.slice(crop, new[] { 0, 0, 0, 0 }, new[] { -1, 2, -1, -1 });
            var joined = tf.concat(new[] { left, crop, left }, 1);
            var flat = tf.reshape(joined, new[] { 1, -1 });
            var rows = tf.gather(tf.reshape(joined, new[] { -1, 12 }), tf.constant(new[] { 0, 5, 3, 3 }, new Shape(2, 2)));
            var first = tf.strided_slice(rows, new[] { 0, 0 }, new[] { 0, 0 }, ellipsis_mask: 1, shrink_axis_mask: 2);
            tf.identity(tf.squeeze(tf.expand_dims(first, 0)));
            tf.transpose(flat);
        });

        stream.Select(o => o.OpType).Should().Equal("Pad", "Transpose", "StridedSlice", "Slice", "ConcatV2", "GatherV2", "StridedSlice", "Transpose");
        stream[1].Outputs.Should().Be("float32[1,3,12,12]");
        stream[2].Outputs.Should().Be("float32[1,3,5,12]");
        stream[4].Outputs.Should().Be("float32[1,7,5,12]");
    }

    [Fact]
    public void ArrayOps_AllDTypesAndPadModes_SameStreamInBothModes()
    {
        AssertParity(() =>
        {
            foreach (var dtype in new[] { DType.Float32, DType.Float16, DType.BFloat16, DType.Int32, DType.Bool })
            {
                var x = tf.zeros(new Shape(4, 5), dtype);
                var p = tf.constant(new[] { 1, 2, 3, 0 }, new Shape(2, 2));
                EagerContext.Current.Execute("MirrorPad", new[] { x, p }, OpAttrs.Of(("mode", "SYMMETRIC")));
                EagerContext.Current.Execute("PadV2", new[] { x, p, tf.constant(0, dtype) });
                tf.strided_slice(x, new[] { -1 }, new[] { 0 }, new[] { -1 }, end_mask: 1);
            }
        });
    }

    [Fact]
    public void AssertParity_ScriptThatDiffersByMode_Fails()
    {
        var act = () => AssertParity(() =>
        {
            var x = tf.zeros(new Shape(2, 3));
            tf.transpose(x, EagerContext.Current.MetaMode ? new[] { 0, 1 } : new[] { 1, 0 });
        });

        act.Should().Throw<Exception>().WithMessage("*meta mode must plan the same ops*");
    }
}
