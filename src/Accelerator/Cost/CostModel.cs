using OnSram.Accelerator.Configuration;

namespace OnSram.Accelerator.Cost;


/// <summary>
/// The roofline-style cost model of <c>docs/cost-model.md</c>:
/// time = max(FLOPs / peak(unit), external bytes / external bandwidth, SPM bytes / SPM bandwidth) + overhead.
/// External reads are the inputs not found in the SPM, plus re-fetches when the op's tiles do not fit the
/// SPM space left by held tensors; external writes are the outputs not held plus live tensors evicted for
/// room. Energy = FLOPs x J/FLOP(unit) + SPM bytes x J/byte + external bytes x J/byte.
/// </summary>
public sealed class CostModel : ICostModel
{
    private readonly AcceleratorConfig _config;

    /// <summary>Creates the model for a validated configuration.</summary>
    public CostModel(AcceleratorConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config.Validate();
    }

    /// <summary>The configuration charged.</summary>
    public AcceleratorConfig Config => _config;

    /// <inheritdoc />
    public OpCost Cost(in OpCostInput input)
    {
        var read = ExternalReads(in input);
        var write = input.WrittenOutputBytes + input.EvictionWriteBackBytes;
        var resident = input.InputBytes - input.StreamedInputBytes;
        // DMA fills (read) and the array reading them, resident inputs read by the array, outputs written by
        // the array, DMA drains (write).
        var spm = 2 * read + resident + input.OutputBytes + write;
        return Charge(input.Unit, input.Flops, read, write, read - input.StreamedInputBytes, spm, _config.OpOverheadSeconds);
    }

    /// <inheritdoc />
    public OpCost Transfer(long externalReadBytes, long externalWriteBytes) =>
        Charge(ComputeUnit.Vector, 0, externalReadBytes, externalWriteBytes, 0, externalReadBytes + externalWriteBytes, 0);

    /// <summary>
    /// External bytes read by the op. Ideal (each streamed input read once) when the streamed working set
    /// (streamed inputs plus written outputs) fits the staging space S. Otherwise:
    /// vector ops stream with a buffer of <c>stream_buffer_bytes</c> B and stay ideal while S &gt;= B; matrix
    /// ops keep all streamed inputs but the largest (R bytes) on chip in chunks of C = S - B bytes and stream
    /// the largest (A bytes) once per chunk: reads = R + ceil(R / C) x A. Below the streaming buffer, or when
    /// that is worse, the op has no on-chip reuse: every operand read of the op goes to external memory.
    /// </summary>
    internal long ExternalReads(in OpCostInput input)
    {
        var streamed = input.StreamedInputBytes;
        if (streamed <= 0)
        {
            return 0;
        }
        var staging = input.StagingBytes;
        var buffer = _config.StreamBufferBytes;
        if (streamed + input.WrittenOutputBytes <= staging)
        {
            return streamed;
        }
        if (input.Unit == ComputeUnit.Vector)
        {
            if (staging >= buffer)
            {
                return streamed;
            }
            // No line buffer: each read of an element of input 0 inside the op fetches it again.
            var reuse = Math.Max(1.0, input.InputReuse);
            return streamed + SaturatingLong(input.FirstInputStreamedBytes * (reuse - 1.0));
        }

        // Matrix op. No reuse: each multiply-add (2 FLOPs) reads two operand elements, the streamed share of
        // them from external memory.
        var share = input.InputBytes > 0 ? (double)streamed / input.InputBytes : 1.0;
        var noReuse = Math.Max(streamed, SaturatingLong(input.Flops * _config.DeviceFloatBytes * share));
        var chunk = staging - buffer;
        if (chunk <= 0)
        {
            return noReuse;
        }
        var largest = Math.Clamp(input.LargestStreamedInputBytes, 0, streamed);
        var rest = streamed - largest;
        if (rest == 0)
        {
            return streamed;
        }
        var passes = (rest + chunk - 1) / chunk;
        var tiled = passes > (long.MaxValue - rest) / Math.Max(1, largest) ? long.MaxValue : rest + passes * largest;
        return Math.Min(tiled, noReuse);
    }

    private OpCost Charge(ComputeUnit unit, double flops, long read, long write, long refetch, long spm, double overhead)
    {
        var compute = flops / _config.PeakFlopsPerSecond(unit);
        var external = (read + write) / _config.ExternalBytesPerSecond;
        var spmTime = spm / _config.SpmBytesPerSecond;
        var bound = BoundBy.Compute;
        var max = compute;
        if (external > max)
        {
            bound = BoundBy.External;
            max = external;
        }
        if (spmTime > max)
        {
            bound = BoundBy.Spm;
            max = spmTime;
        }
        return new OpCost(
            unit, flops, read, write, refetch, spm,
            compute, external, spmTime, max + overhead, bound,
            flops * _config.JoulesPerFlop(unit),
            spm * _config.SpmJoulesPerByte,
            (read + write) * _config.ExternalJoulesPerByte);
    }

    private static long SaturatingLong(double value) => value >= long.MaxValue ? long.MaxValue : (long)Math.Ceiling(value);
}
