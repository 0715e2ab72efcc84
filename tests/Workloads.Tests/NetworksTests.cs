namespace OnSram.Workloads.Tests;

public class NetworksTests
{
    private static readonly string[] s_paper =
    {
        "alexnet", "vgg16", "googlenet", "inception_v3", "inception_v4", "resnet50", "ssd300", "resnext50",
        "mobilenet_v1", "squeezenet", "ptb_lstm", "mha",
    };

    private static readonly string[] s_cnns =
    {
        "alexnet", "vgg16", "googlenet", "inception_v3", "inception_v4", "resnet50", "ssd300", "resnext50", "mobilenet_v1", "squeezenet",
    };

    [Fact]
    public void All_Always_HoldsTheTwelveThenTheFusedCnns()
    {
        Networks.Names.Should().Equal(s_paper.Concat(s_cnns.Select(n => n + "_fused")));
        Networks.Paper.Select(n => n.Name).Should().Equal(s_paper);
    }

    [Fact]
    public void All_Always_MarksOnlyTheSuffixedVariantsFused()
    {
        foreach (var spec in Networks.All)
        {
            spec.Fused.Should().Be(spec.Name.EndsWith("_fused", StringComparison.Ordinal), spec.Name);
            spec.Description.Should().NotBeNullOrWhiteSpace();
            spec.Source.Should().NotBeNullOrWhiteSpace();
            spec.InputShape[0].Should().Be(1, "every network runs at batch 1");
        }
    }

    [Theory]
    [InlineData("resnet50")]
    [InlineData("ResNet50")]
    [InlineData(" mobilenet_v1_fused ")]
    public void Get_KnownName_ReturnsTheEntry(string name)
    {
        Networks.Get(name).Name.Should().Be(name.Trim().ToLowerInvariant());
    }

    [Fact]
    public void Get_UnknownName_ThrowsListingEveryName()
    {
        var act = () => Networks.Get("Foo");
        var message = act.Should().Throw<ArgumentException>().Which.Message;
        message.Should().Contain("'Foo'");
        foreach (var name in Networks.Names)
        {
            message.Should().Contain(name);
        }
    }

    [Fact]
    public void TryGet_UnknownName_ReturnsFalse()
    {
        Networks.TryGet("resnet51", out _).Should().BeFalse();
        Networks.TryGet("ptb_lstm", out var spec).Should().BeTrue();
        spec.InputDType.Should().Be(OnSram.Runtime.DType.Int32);
    }

    [Theory]
    [InlineData("alexnet", new long[] { 1, 227, 227, 3 })]
    [InlineData("vgg16", new long[] { 1, 224, 224, 3 })]
    [InlineData("googlenet", new long[] { 1, 224, 224, 3 })]
    [InlineData("inception_v3", new long[] { 1, 299, 299, 3 })]
    [InlineData("inception_v4", new long[] { 1, 299, 299, 3 })]
    [InlineData("resnet50", new long[] { 1, 224, 224, 3 })]
    [InlineData("ssd300", new long[] { 1, 300, 300, 3 })]
    [InlineData("resnext50", new long[] { 1, 224, 224, 3 })]
    [InlineData("mobilenet_v1", new long[] { 1, 224, 224, 3 })]
    [InlineData("squeezenet", new long[] { 1, 227, 227, 3 })]
    [InlineData("ptb_lstm", new long[] { 1, 35 })]
    [InlineData("mha", new long[] { 1, 128, 768 })]
    public void InputShape_EachNetwork_IsThePublishedOne(string name, long[] shape)
    {
        Networks.Get(name).InputShape.ToArray().Should().Equal(shape);
        if (Networks.TryGet(name + "_fused", out var fused))
        {
            fused.InputShape.ToArray().Should().Equal(shape);
        }
    }
}
