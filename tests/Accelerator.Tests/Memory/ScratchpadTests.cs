using OnSram.Accelerator.Memory;

namespace OnSram.Accelerator.Tests.Memory;

public sealed class ScratchpadTests
{
    [Fact]
    public void AlignedSize_RoundsUpToTheAlignment()
    {
        var spm = new Scratchpad(1000, 64);
        spm.Capacity.Should().Be(960);
        spm.AlignedSize(1).Should().Be(64);
        spm.AlignedSize(64).Should().Be(64);
        spm.AlignedSize(65).Should().Be(128);
        spm.AlignedSize(0).Should().Be(64);
    }

    [Fact]
    public void TryAllocate_SeveralHoles_PicksTheSmallestThatFits()
    {
        var spm = new Scratchpad(64 * 16, 64);
        spm.TryAllocate(64 * 4, out var a).Should().BeTrue();
        spm.TryAllocate(64, out var sep1).Should().BeTrue();
        spm.TryAllocate(64 * 2, out var b).Should().BeTrue();
        spm.TryAllocate(64, out var sep2).Should().BeTrue();
        spm.Free(a);
        spm.Free(b);
        // Holes: 4 units at 0, 2 units at 5, 8 units at 8 (the tail).
        spm.TryAllocate(100, out var placed).Should().BeTrue();
        placed.Should().Be(b, "the 2-unit hole is the best fit for 2 units");
        spm.TryAllocate(64 * 3, out var second).Should().BeTrue();
        second.Should().Be(a);
        sep1.Should().Be(256);
        sep2.Should().Be(448);
    }

    [Fact]
    public void Free_Neighbours_CoalesceBackToOneBlock()
    {
        var spm = new Scratchpad(64 * 8, 64);
        spm.TryAllocate(64, out var a);
        spm.TryAllocate(64, out var b);
        spm.TryAllocate(64, out var c);
        spm.Free(b);
        spm.FreeBlocks.Should().Be(2);
        spm.Free(a);
        spm.FreeBlockList().Should().Equal((0L, 128L), (192L, 320L));
        spm.Free(c);
        spm.FreeBlockList().Should().Equal((0L, 512L));
        spm.UsedBytes.Should().Be(0);
    }

    [Fact]
    public void TryAllocate_EnoughBytesButNoContiguousBlock_CountsAFragmentationFailure()
    {
        var spm = new Scratchpad(64 * 4, 64);
        var offsets = new long[4];
        for (var i = 0; i < 4; i++)
        {
            spm.TryAllocate(64, out offsets[i]).Should().BeTrue();
        }
        spm.Free(offsets[0]);
        spm.Free(offsets[2]);
        spm.FreeBytes.Should().Be(128);
        spm.LargestFreeBlock.Should().Be(64);

        spm.TryAllocate(128, out _).Should().BeFalse();
        spm.FragmentationFailures.Should().Be(1);
        spm.TryAllocate(1000, out _).Should().BeFalse();
        spm.FragmentationFailures.Should().Be(1, "too few bytes is not fragmentation");
        spm.FailedAllocations.Should().Be(2);
        spm.CanAllocate(64).Should().BeTrue();
        spm.Occupancy.Should().Be(0.5);
    }

    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(long.MaxValue - 10)]
    public void TryAllocate_SizeNearInt64Max_FailsAndLeavesTheBlocksIntact(long bytes)
    {
        var spm = new Scratchpad(64 * 8, 64);

        spm.CanAllocate(bytes).Should().BeFalse();
        spm.TryAllocate(bytes, out var offset).Should().BeFalse();

        offset.Should().Be(-1);
        spm.FailedAllocations.Should().Be(1);
        spm.FragmentationFailures.Should().Be(0);
        spm.UsedBytes.Should().Be(0);
        spm.FreeBlockList().Should().Equal((0L, 512L));
    }

    [Fact]
    public void Free_UnknownOffset_Throws()
    {
        var spm = new Scratchpad(1024, 64);
        spm.TryAllocate(64, out var a);
        FluentActions.Invoking(() => spm.Free(a + 64)).Should().Throw<InvalidOperationException>().WithMessage("*offset 64*");
        spm.Free(a);
        FluentActions.Invoking(() => spm.Free(a)).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void RandomSequences_ThousandsOfSeeds_NeverOverlapNorExceedAndAccountForEveryByte()
    {
        for (var seed = 0; seed < 2000; seed++)
        {
            var random = new Random(seed);
            var alignment = 1L << random.Next(0, 8);
            var capacity = random.Next(1, 64) * 256L + random.Next(0, 200);
            var spm = new Scratchpad(capacity, alignment);
            var live = new Dictionary<long, long>();
            for (var step = 0; step < 120; step++)
            {
                if (live.Count > 0 && random.Next(3) == 0)
                {
                    var victim = live.Keys.ElementAt(random.Next(live.Count));
                    spm.Free(victim);
                    live.Remove(victim);
                }
                else
                {
                    var bytes = random.Next(0, (int)Math.Min(capacity / 3 + 2, 5000));
                    var freeBefore = spm.FreeBytes;
                    var fragBefore = spm.FragmentationFailures;
                    if (spm.TryAllocate(bytes, out var offset))
                    {
                        live.Add(offset, spm.AlignedSize(bytes));
                        Assert.True(offset >= 0 && offset % alignment == 0, $"seed {seed} step {step}: aligned offset");
                    }
                    else
                    {
                        var frag = spm.FragmentationFailures - fragBefore;
                        Assert.True(frag == (freeBefore >= spm.AlignedSize(bytes) ? 1 : 0), $"seed {seed} step {step}: fragmentation counted exactly when the bytes sufficed");
                    }
                }
                Check(spm, live, seed, step);
            }
        }
    }

    // Plain checks (not FluentAssertions) keep the 240,000 steps fast.
    private static void Check(Scratchpad spm, Dictionary<long, long> live, int seed, int step)
    {
        void Require(bool condition, string what)
        {
            if (!condition)
            {
                Assert.Fail($"seed {seed} step {step}: {what}");
            }
        }

        var allocated = spm.AllocatedBlockList();
        Require(allocated.Count == live.Count, "allocated blocks match the live allocations");
        var free = spm.FreeBlockList();
        var all = allocated.Select(b => (b.Offset, b.Size)).Concat(free).OrderBy(b => b.Offset).ToArray();
        long cursor = 0;
        foreach (var block in all)
        {
            // Blocks tile [0, capacity) exactly: no overlap, no gap.
            Require(block.Offset == cursor, $"block at {block.Offset} starts where the previous ends ({cursor})");
            Require(block.Size > 0, "blocks are not empty");
            cursor += block.Size;
        }
        Require(cursor == spm.Capacity, "blocks cover the capacity exactly");
        for (var i = 1; i < free.Count; i++)
        {
            Require(free[i - 1].Offset + free[i - 1].Size < free[i].Offset, "free neighbours are coalesced");
        }
        long used = 0;
        foreach (var (offset, size) in live)
        {
            Require(spm.BlockSize(offset) == size, "each live block keeps its size");
            used += size;
        }
        Require(spm.UsedBytes == used, "used bytes are the sum of the live blocks");
        Require(spm.UsedBytes + free.Sum(b => b.Size) == spm.Capacity, "used plus free is the capacity");
        Require(spm.UsedBytes <= spm.Capacity, "never over capacity");
        Require(spm.LargestFreeBlock == (free.Count == 0 ? 0 : free.Max(b => b.Size)), "largest free block");
    }
}
