using OnSram.Workloads.Layers;
using OnSram.Workloads.Tests.Support;
using static OnSram.Workloads.Tests.Support.Reference;

namespace OnSram.Workloads.Tests.Layers;

public class ActivationsTests
{
    [Theory]
    [InlineData("relu", "Relu")]
    [InlineData("relu6", "Relu6")]
    [InlineData("elu", "Elu")]
    [InlineData("sigmoid", "Sigmoid")]
    [InlineData("tanh", "Tanh")]
    [InlineData("softmax", "Softmax")]
    public void Activation_Name_EmitsItsOp(string name, string op)
    {
        using var s = Contexts.Meta();
        new Activation(name).Call(Input(2, 3));
        s.Recorder.Ops.Single().OpType.Should().Be(op);
    }

    [Fact]
    public void Gelu_EmitsTheExactFormulaInPythonOrderAndReleasesItsTemporaries()
    {
        using var s = Contexts.Meta();
        var x = Input(2, 3);
        new Activation("gelu").Call(x);
        s.Recorder.Ops.Select(o => o.OpType).Should().Equal("Mul", "RealDiv", "Erf", "AddV2", "Mul");
        s.Context.LiveTensorCount.Should().Be(2, "only the input and the result remain");
    }

    [Fact]
    public void Gelu_Real_MatchesHalfXTimesOnePlusErf()
    {
        using var s = Contexts.Real();
        var x = Input(3, 4);
        new Activation("gelu").Call(x).Values().ShouldBeClose(Map(x.Values(), v => 0.5 * v * (1 + Erf(v / Math.Sqrt(2)))), 1e-5);
    }

    [Fact]
    public void Validate_Unknown_ThrowsListingNames()
    {
        var act = () => Activations.Validate("mish");
        act.Should().Throw<ArgumentException>().WithMessage("*'mish'*linear, relu, relu6, elu, sigmoid, tanh, softmax, gelu*");
        Activations.Validate("linear").Should().BeNull();
        Activations.Validate(null).Should().BeNull();
    }

    [Theory]
    [InlineData("relu", "Relu")]
    [InlineData("relu6", "Relu6")]
    [InlineData("elu", "Elu")]
    [InlineData("sigmoid", null)]
    [InlineData("softmax", null)]
    [InlineData(null, null)]
    public void FusedOpName_OnlyRemapperActivations_AreFusable(string? name, string? fused) =>
        Activations.FusedOpName(name).Should().Be(fused);

    [Fact]
    public void Activation_Linear_Throws()
    {
        var act = () => new Activation("linear");
        act.Should().Throw<ArgumentException>();
    }
}
