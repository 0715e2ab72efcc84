using OnSram.Speculation.Graphs;

namespace OnSram.Speculation.Policies.PinFuse;

/// <summary>
/// How a fused group tiles: the last stage's output is cut into tiles of <see cref="TileHeight"/> x
/// <see cref="TileWidth"/>; each tile's rows and columns are traced back through the stages
/// (<see cref="SpatialLayer.InputRows"/>), so an earlier stage computes, for all tiles together,
/// sum over row tiles of its row range x sum over column tiles of its column range output pixels, more than its
/// H x W when windows overlap (the halo). Rows and columns trace independently, so the count is exact.
/// </summary>
/// <param name="TileHeight">Output tile height of the last stage.</param>
/// <param name="TileWidth">Output tile width of the last stage.</param>
/// <param name="RecomputeFactors">Per stage: pixels computed over pixels of its output (1 for the last stage);
/// the stage performs its FLOPs times this factor.</param>
/// <param name="InputOverlap">Pixels of the first stage's input read over its H x W: the group input is read that
/// many times over.</param>
/// <param name="OutputTileBytes">Per stage: bytes of its largest output tile.</param>
/// <param name="InputTileBytes">Bytes of the largest tile of the group input.</param>
/// <param name="ComputedPixels">Per stage: output pixels (row x column positions) computed over all tiles.</param>
/// <param name="InputPixelsRead">Pixels of the group input read over all tiles.</param>
public sealed record GroupTiling(
    long TileHeight,
    long TileWidth,
    IReadOnlyList<double> RecomputeFactors,
    double InputOverlap,
    IReadOnlyList<long> OutputTileBytes,
    long InputTileBytes,
    IReadOnlyList<long> ComputedPixels,
    long InputPixelsRead)
{
    /// <summary>
    /// Extra FLOPs of stage <paramref name="stage"/>: its FLOPs x (factor - 1), never negative. A factor below 1 (the
    /// next stage's windows skip border rows or columns, e.g. a stride larger than the kernel) saves nothing: the stage
    /// computes its whole output at least once, as <see cref="FusionGeometry.ExtraBytes"/> reads its input at least once.
    /// </summary>
    public double ExtraFlops(int stage, double flops) => flops * Math.Max(0, RecomputeFactors[stage] - 1);
}

/// <summary>Tiling arithmetic of fused groups (see <see cref="GroupTiling"/>).</summary>
public static class FusionGeometry
{
    /// <summary>Tiles the chain <paramref name="stages"/> (each stage's output is the next one's input) with output tiles
    /// of <paramref name="tileHeight"/> x <paramref name="tileWidth"/> of the last stage.</summary>
    public static GroupTiling Tile(IReadOnlyList<SpatialLayer> stages, long tileHeight, long tileWidth)
    {
        ArgumentNullException.ThrowIfNull(stages);
        if (stages.Count == 0)
        {
            throw new ArgumentException("a group has at least one stage", nameof(stages));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(tileHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(tileWidth, 1);
        var n = stages.Count;
        var last = stages[^1].Output;
        var (rowsOut, maxRowsOut, rowsIn, maxRowsIn) = Trace(stages, last.Shape[1], tileHeight, (s, a, b) => s.InputRows(a, b));
        var (colsOut, maxColsOut, colsIn, maxColsIn) = Trace(stages, last.Shape[2], tileWidth, (s, a, b) => s.InputCols(a, b));
        var factors = new double[n];
        var tiles = new long[n];
        var computed = new long[n];
        for (var l = 0; l < n; l++)
        {
            var o = stages[l].Output;
            double pixels = o.Shape[1] * o.Shape[2];
            computed[l] = rowsOut[l] * colsOut[l];
            factors[l] = l == n - 1 ? 1.0 : computed[l] / pixels;
            tiles[l] = Part(o.DeviceBytes, maxRowsOut[l] * maxColsOut[l], o.Shape[1] * o.Shape[2]);
        }
        var input = stages[0].Input;
        var inPixels = input.Shape[1] * input.Shape[2];
        return new GroupTiling(tileHeight, tileWidth, factors, rowsIn * (double)colsIn / inPixels, tiles,
            Part(input.DeviceBytes, maxRowsIn * maxColsIn, inPixels), computed, rowsIn * colsIn);
    }

    /// <summary>Bytes of <paramref name="bytes"/> x <paramref name="numerator"/> / <paramref name="denominator"/>, rounded up.</summary>
    public static long Part(long bytes, long numerator, long denominator) =>
        denominator <= 0 ? bytes : (long)(((Int128)bytes * numerator + denominator - 1) / denominator);

    /// <summary>External bytes re-read when <paramref name="bytes"/> are read with overlap <paramref name="sumPixels"/> /
    /// <paramref name="pixels"/> instead of once: bytes x (sum - pixels) / pixels, rounded up.</summary>
    public static long ExtraBytes(long bytes, long sumPixels, long pixels) =>
        sumPixels <= pixels || pixels <= 0 ? 0 : Part(bytes, sumPixels - pixels, pixels);

    /// <summary>Candidate tile sizes along a dimension of <paramref name="size"/>: size, ceil(size/2), ceil(size/4), ..., 1.</summary>
    public static IReadOnlyList<long> Candidates(long size)
    {
        var list = new List<long>();
        for (var t = Math.Max(1, size); ; t = (t + 1) / 2)
        {
            if (list.Count == 0 || list[^1] != t)
            {
                list.Add(t);
            }
            if (t == 1)
            {
                break;
            }
        }
        return list;
    }

    // Per stage: sum and max of its output range lengths over the tiles; then the same for the group input.
    private static (long[] Sum, long[] Max, long InSum, long InMax) Trace(IReadOnlyList<SpatialLayer> stages, long size, long tile,
        Func<SpatialLayer, long, long, (long, long)> back)
    {
        var n = stages.Count;
        var sum = new long[n];
        var max = new long[n];
        long inSum = 0, inMax = 0;
        for (var start = 0L; start < size; start += tile)
        {
            var a = start;
            var b = Math.Min(size, start + tile);
            for (var l = n - 1; l >= 0; l--)
            {
                sum[l] += b - a;
                max[l] = Math.Max(max[l], b - a);
                (a, b) = back(stages[l], a, b);
            }
            inSum += b - a;
            inMax = Math.Max(inMax, b - a);
        }
        return (sum, max, inSum, inMax);
    }
}
