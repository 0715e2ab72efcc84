using OnSram.Accelerator.Configuration;
using OnSram.Cli.Bench;
using OnSram.Speculation.Policies;
using OnSram.Speculation.Policies.Eager;

namespace OnSram.Cli.Tests.Bench;

public sealed class BenchRunnerPolicyTests
{
    [Fact]
    public void CreatePolicy_Eager_StartsColdWithoutTheHistoryVariableOrAccuracyProbe()
    {
        var policy = BenchRunner.CreatePolicy("eager", AcceleratorPresets.Paper, PolicyRegistry.Default);

        var eager = policy.Should().BeOfType<OnSramEagerPolicy>().Subject;
        eager.Options.HistoryPath.Should().BeNull("parallel bench cells must not share ONSRAM_HISTORY");
        eager.Options.History.Should().BeNull();
        eager.Options.ComputeAccuracy.Should().BeFalse("the bench does not report accuracy");
    }

    [Fact]
    public void CreatePolicy_OtherName_ComesFromTheRegistry()
    {
        var policy = BenchRunner.CreatePolicy("lru", AcceleratorPresets.Paper);

        policy.Name.Should().Be("lru");
    }
}
