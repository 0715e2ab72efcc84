using OnSram.Accelerator.Configuration;

namespace OnSram.Accelerator.Tests.Configuration;

public sealed class AcceleratorConfigTests
{
    [Fact]
    public void Paper_Defaults_AreTheOnSramEvaluationAccelerator()
    {
        var p = AcceleratorPresets.Paper;
        p.Name.Should().Be("paper");
        p.MatrixFlopsPerSecond.Should().Be(3e12);
        p.VectorFlopsPerSecond.Should().Be(375e9);
        p.SpmBytes.Should().Be(2 * 1024 * 1024);
        p.SpmBytesPerSecond.Should().Be(384e9);
        p.ExternalBytesPerSecond.Should().Be(32e9);
        p.DeviceFloatBytes.Should().Be(2);
        p.Should().Be(new AcceleratorConfig());
    }

    [Theory]
    [InlineData("paper")]
    [InlineData("edge")]
    [InlineData("datacenter")]
    [InlineData(" Edge ")]
    public void Get_KnownPreset_IsValidAndNamed(string name)
    {
        var c = AcceleratorPresets.Get(name);
        c.Name.Should().Be(name.Trim().ToLowerInvariant());
        c.Validate().Should().BeSameAs(c);
    }

    [Fact]
    public void Get_UnknownPreset_ListsPresets()
    {
        var act = () => AcceleratorPresets.Get("tpu");
        act.Should().Throw<AcceleratorConfigException>().WithMessage("*'tpu'*paper, edge, datacenter*");
    }

    public static TheoryData<AcceleratorConfig, string> BadValues => new()
    {
        { new AcceleratorConfig(MatrixFlopsPerSecond: 0), ConfigKeys.MatrixFlopsPerSecond },
        { new AcceleratorConfig(VectorFlopsPerSecond: double.NaN), ConfigKeys.VectorFlopsPerSecond },
        { new AcceleratorConfig(SpmBytes: 10), ConfigKeys.SpmBytes },
        { new AcceleratorConfig(SpmBytesPerSecond: -1), ConfigKeys.SpmBytesPerSecond },
        { new AcceleratorConfig(ExternalBytesPerSecond: double.PositiveInfinity), ConfigKeys.ExternalBytesPerSecond },
        { new AcceleratorConfig(DeviceFloatBytes: 3), ConfigKeys.DeviceFloatBytes },
        { new AcceleratorConfig(AlignmentBytes: 48), ConfigKeys.AlignmentBytes },
        { new AcceleratorConfig(AlignmentBytes: 0), ConfigKeys.AlignmentBytes },
        { new AcceleratorConfig(StreamBufferBytes: -1), ConfigKeys.StreamBufferBytes },
        { new AcceleratorConfig(OpOverheadSeconds: -1e-9), ConfigKeys.OpOverheadSeconds },
        { new AcceleratorConfig(MatrixJoulesPerFlop: -1), ConfigKeys.MatrixJoulesPerFlop },
        { new AcceleratorConfig(VectorJoulesPerFlop: double.NaN), ConfigKeys.VectorJoulesPerFlop },
        { new AcceleratorConfig(SpmJoulesPerByte: -1), ConfigKeys.SpmJoulesPerByte },
        { new AcceleratorConfig(ExternalJoulesPerByte: -1), ConfigKeys.ExternalJoulesPerByte },
        { new AcceleratorConfig(Name: " "), ConfigKeys.Name },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Validate_BadValue_ThrowsNamingTheKey(AcceleratorConfig config, string key)
    {
        var act = () => config.Validate("my.json");
        var e = act.Should().Throw<AcceleratorConfigException>().Which;
        e.Key.Should().Be(key);
        e.Message.Should().Contain($"'{key}'").And.Contain("my.json");
    }

    [Fact]
    public void PeakAndEnergy_ByUnit_PickTheArray()
    {
        var c = new AcceleratorConfig(MatrixFlopsPerSecond: 7, VectorFlopsPerSecond: 5, MatrixJoulesPerFlop: 3, VectorJoulesPerFlop: 2);
        c.PeakFlopsPerSecond(ComputeUnit.Matrix).Should().Be(7);
        c.PeakFlopsPerSecond(ComputeUnit.Vector).Should().Be(5);
        c.JoulesPerFlop(ComputeUnit.Matrix).Should().Be(3);
        c.JoulesPerFlop(ComputeUnit.Vector).Should().Be(2);
    }
}
