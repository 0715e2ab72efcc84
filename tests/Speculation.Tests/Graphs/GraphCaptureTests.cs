using OnSram.Accelerator;
using OnSram.Speculation.Events;
using OnSram.Speculation.Graphs;
using OnSram.Speculation.Tests.Support;

namespace OnSram.Speculation.Tests.Graphs;

public sealed class GraphCaptureTests
{
    [Fact]
    public void Build_Diamond_RecordsProducersConsumersAndLiveness()
    {
        var s = new StreamBuilder();
        var x = s.Tensor(64);
        var w = s.Tensor(64);
        var a = s.Op("MatMul", ComputeUnit.Matrix, 1000, [x, w], [64]);
        var b = s.Vector("Relu", [a]);
        var c = s.Vector("Neg", [b]);
        var d = s.Vector("AddV2", [c, a]);
        s.Vector("Mul", [d, d]);

        var g = s.Graph();

        g.OpCount.Should().Be(5);
        g.Tensors.Should().HaveCount(7);
        var ta = g.Tensors.Single(t => t.Id == a.Id);
        ta.Producer.Should().Be(0);
        ta.Consumers.Should().Equal(1, 3);
        ta.LastUse.Should().Be(3);
        ta.LivenessSpan.Should().Be(3);
        ta.DeviceBytes.Should().Be(128);
        g.Tensors.Single(t => t.Id == x.Id).IsExternal.Should().BeTrue();
        g.Tensors.Single(t => t.Id == w.Id).Consumers.Should().Equal(0);
        // An op reading a tensor twice is one consumer.
        var td = g.Tensors.Single(t => t.Id == d.Id);
        td.Consumers.Should().Equal(4);
        g.Ops[4].Inputs.Should().Equal(td.Index, td.Index);
        g.Ops[4].DistinctInputs.Should().Equal(td.Index);
        var result = g.Tensors[g.Ops[4].Outputs[0]];
        result.IsResult.Should().BeTrue();
        result.LastUse.Should().Be(4);
        g.Activations.Select(t => t.Id).Should().Equal(a.Id, b.Id, c.Id, d.Id);
        g.TotalFlops.Should().Be(1000 + 4 * 64);
        // a lives over ops 0..3, b over 1..2, c over 2..3, d over 3..4.
        g.LiveActivationBytes().Should().Equal(128, 256, 384, 384, 128);
    }

    [Fact]
    public void Iterations_MarksSplitTheStream_IndexedAsTheSimulatorDoes()
    {
        var s = new StreamBuilder();
        var x = s.Tensor(8);
        var a = s.Vector("Relu", [x]);
        s.Vector("Neg", [a]);
        s.Mark();
        s.Mark();
        s.Mark("other");
        var b = s.Vector("Relu", [x]);
        s.Release(b);
        s.Mark();
        s.Vector("Relu", [b]);

        var its = GraphCapture.Iterations(s.Events, 2);

        its.Select(i => i.Graph.OpCount).Should().Equal(2, 0, 1, 1);
        its.Select(i => i.FirstOpIndex).Should().Equal(0, 2, 2, 3);
        its.Select(i => i.Index).Should().Equal(0, 1, 2, 3);
        // A tensor produced in an earlier iteration is external in a later one.
        its[3].Graph.Tensors[its[3].Graph.Ops[0].Inputs[0]].IsExternal.Should().BeTrue();
        GraphCapture.FirstIteration(s.Events, 2).OpCount.Should().Be(2);
    }

    [Fact]
    public void Recorder_RecordsWhatASinkReceives_SameGraphsAsTheList()
    {
        var s = new StreamBuilder();
        var x = s.Tensor(8);
        var a = s.Vector("Relu", [x]);
        s.Release(a);
        s.Mark();
        s.Vector("Relu", [x]);
        var recorder = new GraphRecorder();

        s.Feed(recorder);

        recorder.Events.Should().Equal(s.Events);
        recorder.Iterations(2).Should().HaveCount(2);
    }

    [Fact]
    public void SameStructure_IdenticalIterationsWithOtherIds_AreEqual_ChangedShapeIsNot()
    {
        var s = new StreamBuilder();
        var x = s.Tensor(8);
        var a = s.Vector("Relu", [x]);
        s.Vector("AddV2", [a, x]);
        s.Mark();
        var b = s.Vector("Relu", [x]);
        s.Vector("AddV2", [b, x]);
        s.Mark();
        var c = s.Vector("Relu", [x]);
        s.Vector("AddV2", [x, c]);

        var its = GraphCapture.Iterations(s.Events, 2);

        its[0].Graph.SameStructure(its[1].Graph).Should().BeTrue();
        its[0].Graph.StructureHash.Should().Be(its[1].Graph.StructureHash);
        its[0].Graph.SameStructure(its[2].Graph).Should().BeFalse();
    }

    [Fact]
    public void Mismatch_NamesWhatDiffers()
    {
        var s = new StreamBuilder();
        var x = s.Tensor(1, 8);
        s.Vector("Relu", [x]);
        var g = s.Graph();
        var planned = g.Ops[0];
        var op = planned.Event;

        OpSignature.Mismatch(planned, op).Should().BeNull();
        OpSignature.Mismatch(planned, op with { OpType = "Neg" }).Should().Contain("Neg").And.Contain("Relu");
        var wider = new TensorInfo(99, [1, 9], 9, 4, true);
        OpSignature.Mismatch(planned, op with { Inputs = [wider] }).Should().Contain("[1,9]").And.Contain("[1,8]");
        OpSignature.Mismatch(planned, op with { AttrKey = "T=half" }).Should().Contain("attributes");
        OpSignature.Mismatch(planned, op with { Flops = 9 }).Should().Contain("FLOPs");
        OpSignature.Mismatch(planned, op with { Outputs = [] }).Should().Contain("0 outputs");
        OpSignature.Mismatch(planned, op with { Unit = ComputeUnit.Matrix }).Should().Contain("Matrix");
    }
}
