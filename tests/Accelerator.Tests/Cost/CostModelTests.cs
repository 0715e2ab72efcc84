using OnSram.Accelerator.Configuration;
using OnSram.Accelerator.Cost;

namespace OnSram.Accelerator.Tests.Cost;

public sealed class CostModelTests
{
    private const long KiB = 1024;
    private static readonly AcceleratorConfig P = AcceleratorPresets.Paper;

    private static OpCostInput Matrix(long a, long r, long output, long staging, double flops = 1e7) =>
        new(ComputeUnit.Matrix, flops, a + r, a + r, a, a, 1, output, output, 0, staging);

    [Fact]
    public void Cost_WorkingSetFits_ReadsEachStreamedInputOnce()
    {
        var model = new CostModel(P);
        var cost = model.Cost(Matrix(600 * KiB, 300 * KiB, 100 * KiB, staging: 1024 * KiB));
        cost.ExternalReadBytes.Should().Be(900 * KiB);
        cost.RefetchBytes.Should().Be(0);
        cost.ExternalWriteBytes.Should().Be(100 * KiB);
    }

    [Fact]
    public void Cost_HeldTensorsCrowdOutTheTiles_MatrixOpRefetchesItsLargestInput()
    {
        var model = new CostModel(P);
        long a = 600 * KiB, r = 300 * KiB, output = 200 * KiB;

        // Working set 1100 KiB exceeds the 1024 KiB left, but the 300 KiB rest fits a chunk: still ideal.
        model.Cost(Matrix(a, r, output, staging: 1024 * KiB)).ExternalReadBytes.Should().Be(a + r);

        // Held tensors leave 200 KiB: chunks of 200 KiB - 32 KiB (streaming buffer) = 172 KiB, so the
        // 300 KiB rest needs ceil(300 / 172) = 2 passes, each streaming the 600 KiB input once.
        var crowded = model.Cost(Matrix(a, r, output, staging: 200 * KiB));
        var chunk = 200 * KiB - P.StreamBufferBytes;
        var passes = (r + chunk - 1) / chunk;
        passes.Should().Be(2);
        crowded.ExternalReadBytes.Should().Be(r + passes * a);
        crowded.RefetchBytes.Should().Be(a);
        crowded.SpmBytes.Should().Be(2 * (r + passes * a) + 0 + output + output);
        crowded.Seconds.Should().BeGreaterThan(model.Cost(Matrix(a, r, output, staging: 1024 * KiB)).Seconds);
    }

    [Fact]
    public void Cost_NoRoomForTheStreamingBuffer_MatrixOpHasNoOnChipReuse()
    {
        var model = new CostModel(P);
        long a = 600 * KiB, r = 300 * KiB;
        var flops = 2.0 * 1_000_000;
        var cost = model.Cost(Matrix(a, r, 0, staging: P.StreamBufferBytes - 64, flops));
        // Every multiply-add reads its two operands from external memory: FLOPs x element bytes.
        cost.ExternalReadBytes.Should().Be((long)(flops * P.DeviceFloatBytes));
    }

    [Fact]
    public void Cost_VectorOpBelowStreamingBuffer_RereadsInputZeroPerWindowUse()
    {
        var model = new CostModel(P);
        var input = new OpCostInput(ComputeUnit.Vector, 1e5, 100_000, 100_000, 100_000, 100_000, 9, 50_000, 50_000, 0, 16 * KiB);
        model.Cost(input).ExternalReadBytes.Should().Be(900_000);
        model.Cost(input with { StagingBytes = P.StreamBufferBytes }).ExternalReadBytes.Should().Be(100_000);
    }

    [Fact]
    public void Cost_HitsOnly_ReadNothingExternal()
    {
        var model = new CostModel(P);
        var cost = model.Cost(new OpCostInput(ComputeUnit.Vector, 1000, 4096, 0, 0, 0, 1, 4096, 0, 0, 0));
        cost.ExternalReadBytes.Should().Be(0);
        cost.ExternalWriteBytes.Should().Be(0);
        cost.SpmBytes.Should().Be(4096 + 4096);
    }

    [Fact]
    public void Cost_TimeIsTheLargestTermPlusOverhead_WithItsBoundAndEnergy()
    {
        var config = P with { OpOverheadSeconds = 1e-6 };
        var model = new CostModel(config);
        // 3e9 FLOPs on the matrix array: 1 ms; 1 MB each way: 62.5 us external.
        var compute = model.Cost(new OpCostInput(ComputeUnit.Matrix, 3e9, 1_000_000, 1_000_000, 1_000_000, 1_000_000, 1, 1_000_000, 1_000_000, 0, 1L << 30));
        compute.BoundBy.Should().Be(BoundBy.Compute);
        compute.ComputeSeconds.Should().BeApproximately(1e-3, 1e-15);
        compute.ExternalSeconds.Should().BeApproximately(2_000_000 / 32e9, 1e-15);
        compute.Seconds.Should().BeApproximately(1e-3 + 1e-6, 1e-15);
        compute.IsMemoryBound.Should().BeFalse();
        var spm = 2 * 1_000_000 + 1_000_000 + 1_000_000;
        compute.EnergyJoules.Should().BeApproximately(3e9 * config.MatrixJoulesPerFlop + spm * config.SpmJoulesPerByte + 2_000_000 * config.ExternalJoulesPerByte, 1e-18);

        var memory = model.Cost(new OpCostInput(ComputeUnit.Vector, 10, 1_000_000, 1_000_000, 1_000_000, 1_000_000, 1, 1_000_000, 1_000_000, 0, 1L << 30));
        memory.BoundBy.Should().Be(BoundBy.External);
        memory.Seconds.Should().BeApproximately(2_000_000 / 32e9 + 1e-6, 1e-15);

        var spmBound = model.Cost(new OpCostInput(ComputeUnit.Vector, 10, 1_000_000, 0, 0, 0, 1, 1_000_000, 0, 0, 1L << 30));
        spmBound.BoundBy.Should().Be(BoundBy.Spm);
        spmBound.Seconds.Should().BeApproximately(2_000_000 / 384e9 + 1e-6, 1e-15);
    }

    [Fact]
    public void Cost_EvictionWriteBacks_AreChargedToTheOp()
    {
        var model = new CostModel(P);
        var input = new OpCostInput(ComputeUnit.Vector, 0, 0, 0, 0, 0, 1, 0, 0, 5000, 1L << 30);
        var cost = model.Cost(input);
        cost.ExternalWriteBytes.Should().Be(5000);
        cost.SpmBytes.Should().Be(5000);
    }

    [Fact]
    public void Transfer_WriteBack_IsBoundByTheSlowerLink()
    {
        var cost = new CostModel(P).Transfer(0, 32_000);
        cost.Seconds.Should().BeApproximately(1e-6, 1e-18);
        cost.BoundBy.Should().Be(BoundBy.External);
        cost.EnergyJoules.Should().BeApproximately(32_000 * (P.ExternalJoulesPerByte + P.SpmJoulesPerByte), 1e-18);
    }

    [Fact]
    public void ExternalReads_MoreStagingSpace_NeverCostMore()
    {
        var model = new CostModel(P);
        var random = new Random(1234);
        for (var trial = 0; trial < 2000; trial++)
        {
            var unit = random.Next(2) == 0 ? ComputeUnit.Matrix : ComputeUnit.Vector;
            long a = random.Next(1, 4_000_000), r = random.Next(0, 4_000_000), o = random.Next(0, 2_000_000);
            var flops = random.NextDouble() * 1e10;
            var input = new OpCostInput(unit, flops, a + r, a + r, a, a, 1 + random.Next(0, 30), o, o, 0, 0);
            long previous = long.MaxValue;
            foreach (var staging in new long[] { 0, 16_000, 40_000, 100_000, 400_000, 1_000_000, 3_000_000, 10_000_000 })
            {
                var reads = model.ExternalReads(input with { StagingBytes = staging });
                reads.Should().BeGreaterThanOrEqualTo(a + r);
                reads.Should().BeLessThanOrEqualTo(previous);
                previous = reads;
            }
            previous.Should().Be(a + r, "with room for the whole working set each element is fetched once");
        }
    }
}
