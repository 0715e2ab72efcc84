using OnSram.Runtime;
using OnSram.Workloads.Tests.Support;

namespace OnSram.Workloads.Tests;

public class NetworkTests
{
    public static TheoryData<string> AllNames => new(Networks.Names);

    [Theory]
    [MemberData(nameof(AllNames))]
    public void Run_TwoIterationsThenDispose_LeavesNoLiveTensor(string name)
    {
        using var scope = Contexts.Meta();
        Networks.Get(name).Run(2);
        scope.Context.LiveTensorCount.Should().Be(0, "every intermediate, output, input and weight must be released");
        scope.Recorder.Events.Count(e => e.Kind == "mark").Should().Be(2);
    }

    [Theory]
    [MemberData(nameof(AllNames))]
    public void Run_EachIteration_ReleasesEveryOpOutputBeforeItsMark(string name)
    {
        using var scope = Contexts.Meta();
        Networks.Get(name).Run(2);
        var produced = new HashSet<long>();
        foreach (var e in scope.Recorder.Events)
        {
            switch (e.Kind)
            {
                case "op":
                    produced.UnionWith(e.Outputs);
                    break;
                case "free":
                    produced.Remove(e.Inputs[0]);
                    break;
                case "mark":
                    produced.Should().BeEmpty($"tensors produced in an iteration of {name} must die in that iteration");
                    break;
            }
        }
    }

    [Theory]
    [InlineData("squeezenet")]
    [InlineData("resnet50_fused")]
    [InlineData("ptb_lstm")]
    public void Run_SuccessiveIterations_EmitTheSameOpsOnTheSameWeights(string name)
    {
        using var scope = Contexts.Meta();
        using var network = Networks.Get(name).Create();
        network.Run(3);
        var weightIds = network.Model.Weights.Select(w => w.Tensor.Id).ToHashSet();
        var iterations = SplitByMark(scope.Recorder.Events);
        iterations.Should().HaveCount(3);
        var signatures = iterations.Select(ops => ops.Select(o => $"{o.OpType}:{string.Join(";", o.Outputs.Select(t => t.Shape.ToCompactString()))}").ToArray()).ToArray();
        signatures[1].Should().Equal(signatures[0]);
        signatures[2].Should().Equal(signatures[0]);
        var used = iterations.Select(ops => ExternalInputs(ops).Where(weightIds.Contains).ToHashSet()).ToArray();
        if (!network.Spec.Fused)
        {
            used[0].Should().BeEquivalentTo(weightIds, "an unfused network feeds every weight to an op");
        }
        used[0].Should().NotBeEmpty();
        used[1].Should().BeEquivalentTo(used[0], "weights are created once and reused");
        used[2].Should().BeEquivalentTo(used[0]);
    }

    public static TheoryData<string> FusedNames => new(Networks.Names.Where(n => n.EndsWith("_fused", StringComparison.Ordinal)));

    [Theory]
    [MemberData(nameof(FusedNames))]
    public void Create_FusedVariant_DrawsTheSameWeightsAsTheUnfusedNetwork(string fusedName)
    {
        using var scope = Contexts.Meta();
        static string[] Describe(string name)
        {
            using var network = Networks.Get(name).Create(seed: 4);
            network.Forward(network.CreateInput());
            return network.Model.Weights.Select(w => $"{w.Layer}/{w.Name}{w.Tensor.shape.ToCompactString()} seed={w.Seed} trainable={w.Trainable}").ToArray();
        }
        var fused = Describe(fusedName);
        fused.Should().Equal(Describe(fusedName[..^"_fused".Length]));
        fused.Select(w => w[(w.IndexOf("seed=", StringComparison.Ordinal))..]).Distinct().Should().HaveCount(fused.Length, "every weight has its own seed");
    }

    [Theory]
    [InlineData("resnet50_fused")]
    [InlineData("mobilenet_v1")]
    [InlineData("inception_v3")]
    [InlineData("ssd300")]
    [InlineData("ptb_lstm")]
    [InlineData("mha")]
    public void Run_Float16_ComputesEveryFloatingTensorInFloat16(string name)
    {
        using var scope = Contexts.Meta();
        using var network = Networks.Get(name).Create(dtype: DType.Float16);
        network.Run(1);
        network.Model.Weights.Should().OnlyContain(w => w.Tensor.dtype == DType.Float16);
        var floating = scope.Recorder.Ops.SelectMany(o => o.Inputs.Concat(o.Outputs)).Where(t => t.DType.IsFloating()).ToArray();
        floating.Should().NotBeEmpty().And.OnlyContain(t => t.DType == DType.Float16);
        network.InputDType.Should().Be(name == "ptb_lstm" ? DType.Int32 : DType.Float16);
    }

    [Fact]
    public void Create_IntegerDType_Throws()
    {
        var act = () => Networks.Get("vgg16").Create(dtype: DType.Int32);
        act.Should().Throw<ArgumentException>().WithMessage("*floating*int32*");
    }

    [Fact]
    public void Run_ZeroIterations_Throws()
    {
        using var scope = Contexts.Meta();
        var act = () => Networks.Get("alexnet").Run(0);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Forward_InputOfAnotherShape_ThrowsNamingTheExpectedInput()
    {
        using var scope = Contexts.Meta();
        using var network = Networks.Get("resnet50").Create();
        var wrong = Binding.tf.zeros(new Shape(1, 225, 225, 3));
        var act = () => network.Forward(wrong);
        act.Should().Throw<ArgumentException>().WithMessage("*resnet50*float32[1,224,224,3]*float32[1,225,225,3]*");
    }

    [Fact]
    public void ParameterCount_BeforeTheFirstPass_ThrowsSayingWeightsComeWithIt()
    {
        using var scope = Contexts.Meta();
        using var network = Networks.Get("vgg16").Create();
        network.Built.Should().BeFalse();
        var act = () => network.ParameterCount;
        act.Should().Throw<InvalidOperationException>().WithMessage("*first forward pass*");
    }

    [Fact]
    public void CreateInput_PtbLstm_IsInt32TokenIdsWithinTheVocabulary()
    {
        using var scope = Contexts.Meta();
        using var network = Networks.Get("ptb_lstm").Create(seed: 5);
        var input = network.CreateInput();
        input.dtype.Should().Be(DType.Int32);
        input.ToArray<int>().Should().OnlyContain(id => id >= 0 && id < OnSram.Workloads.Models.PtbLstm.Vocabulary)
            .And.Subject.Distinct().Should().HaveCountGreaterThan(20, "ids are spread over the vocabulary");
    }

    private static List<List<OpExecution>> SplitByMark(IEnumerable<RecordedEvent> events)
    {
        var result = new List<List<OpExecution>> { new() };
        foreach (var e in events)
        {
            if (e.Kind == "op")
            {
                result[^1].Add(e.Op!.Value);
            }
            else if (e.Kind == "mark")
            {
                result.Add(new List<OpExecution>());
            }
        }
        result.RemoveAt(result.Count - 1);
        return result;
    }

    /// <summary>Ids read by ops but produced by none (weights, constants, the input).</summary>
    private static HashSet<long> ExternalInputs(List<OpExecution> ops)
    {
        var produced = ops.SelectMany(o => o.Outputs.Select(t => t.Id)).ToHashSet();
        return ops.SelectMany(o => o.Inputs.Select(t => t.Id)).Where(id => !produced.Contains(id)).ToHashSet();
    }
}
