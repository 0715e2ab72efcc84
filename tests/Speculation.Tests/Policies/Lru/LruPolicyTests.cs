using OnSram.Accelerator.Configuration;
using OnSram.Speculation.Policies.Lru;
using OnSram.Speculation.Simulation;
using OnSram.Speculation.Tests.Support;

namespace OnSram.Speculation.Tests.Policies.Lru;

public sealed class LruPolicyTests
{
    private const long B = 1024; // 512 float32 elements on an FP16 device: one block

    private static AcceleratorConfig Blocks(int count) => AcceleratorPresets.Paper with { SpmBytes = count * B, StreamBufferBytes = 0 };

    [Fact]
    public void TryChooseVictim_OutputLargerThanTheRoomBesideTheOpsInputs_EvictsNothing()
    {
        // a and b held; op2 reads a (locked) and makes 2.5 blocks: even with b evicted only 2 blocks are free.
        var policy = new RecordingLruPolicy();
        var sim = new Simulator(policy, Blocks(3));
        var x = Ev.T(1, 512);
        sim.OnOp(Ev.Vector("Relu", 512, [x], Ev.T(10, 512)));
        sim.OnOp(Ev.Vector("Neg", 512, [x], Ev.T(11, 512)));
        sim.OnOp(Ev.Vector("Tile", 1280, [Ev.T(10, 512)], Ev.T(12, 1280)));
        sim.OnOp(Ev.Vector("Relu", 512, [Ev.T(11, 512)], Ev.T(13, 512)));
        var t = sim.Report().Totals;

        t.HoldFailures.Should().Be(1);
        t.Evictions.Should().Be(0, "evicting b could not make room for the output: it would be written back for nothing");
        t.SpmMisses.Should().Be(0, "b stays held and op3 finds it");
        policy.Log.Should().Contain("hold op2 t12 held=False evictions=0 frag=0");
    }

    [Fact]
    public void TryChooseVictim_FreeBytesSplitByTheOpsInputs_EvictsNothing()
    {
        // Four blocks a b c d; op4 reads b and d (locked). 2 blocks are free or evictable (a, c) but never adjacent.
        var sim = new Simulator(new LruPolicy(), Blocks(4));
        var x = Ev.T(1, 512);
        for (var i = 0; i < 4; i++)
        {
            sim.OnOp(Ev.Vector("Relu", 512, [x], Ev.T(10 + i, 512)));
        }
        sim.OnOp(Ev.Vector("AddV2", 1024, [Ev.T(11, 512), Ev.T(13, 512)], Ev.T(20, 1024)));
        var t = sim.Report().Totals;

        t.HoldFailures.Should().Be(1);
        t.Evictions.Should().Be(0);
    }

    [Fact]
    public void TryChooseVictim_RoomCanBeMade_EvictsTheLeastRecentlyUsedUntilItFits()
    {
        // Same as the first case with a 2-block output: evicting b (the only evictable tensor) makes room.
        var sim = new Simulator(new LruPolicy(), Blocks(3));
        var x = Ev.T(1, 512);
        sim.OnOp(Ev.Vector("Relu", 512, [x], Ev.T(10, 512)));
        sim.OnOp(Ev.Vector("Neg", 512, [x], Ev.T(11, 512)));
        sim.OnOp(Ev.Vector("Tile", 1024, [Ev.T(10, 512)], Ev.T(12, 1024)));
        var t = sim.Report().Totals;

        t.Evictions.Should().Be(1);
        t.HoldFailures.Should().Be(0);
        t.Holds.Should().Be(3);
    }
}
