namespace OnSram.Accelerator.Configuration;

/// <summary>
/// Named accelerator configurations. <c>paper</c> is the accelerator of the OnSRAM evaluation; <c>edge</c>
/// and <c>datacenter</c> are illustrative device classes (not products) for sweeps. All presets use the
/// same energy constants (see <see cref="AcceleratorConfig"/>), except the datacenter HBM figure.
/// </summary>
public static class AcceleratorPresets
{
    /// <summary>The OnSRAM evaluation (Pal et al., TECS 2022): 3 TFLOP/s systolic array, 375 GFLOP/s FP16 SIMD
    /// array, 2 MiB SPM at 384 GB/s, 32 GB/s external memory, FP16 data.</summary>
    public static AcceleratorConfig Paper { get; } = new AcceleratorConfig().Validate("preset paper");

    /// <summary>An edge-class NPU: 1 TFLOP/s matrix, 125 GFLOP/s vector (the paper's 8:1 ratio), 512 KiB SPM at
    /// 128 GB/s, 8 GB/s external memory (one 16-bit LPDDR4 channel at 4266 MT/s is 8.5 GB/s), FP16.</summary>
    public static AcceleratorConfig Edge { get; } = new AcceleratorConfig(
        Name: "edge",
        MatrixFlopsPerSecond: 1e12,
        VectorFlopsPerSecond: 125e9,
        SpmBytes: 512L * 1024,
        SpmBytesPerSecond: 128e9,
        ExternalBytesPerSecond: 8e9).Validate("preset edge");

    /// <summary>A datacenter-class accelerator: 100 TFLOP/s matrix, 12.5 TFLOP/s vector (8:1), 32 MiB SPM at
    /// 4 TB/s, 900 GB/s HBM2 (four stacks), FP16; external energy 3.9 pJ/bit (HBM2, O'Connor et al.,
    /// MICRO 2017) = 31.2 pJ/byte.</summary>
    public static AcceleratorConfig Datacenter { get; } = new AcceleratorConfig(
        Name: "datacenter",
        MatrixFlopsPerSecond: 100e12,
        VectorFlopsPerSecond: 12.5e12,
        SpmBytes: 32L * 1024 * 1024,
        SpmBytesPerSecond: 4e12,
        ExternalBytesPerSecond: 900e9,
        ExternalJoulesPerByte: 31.2e-12).Validate("preset datacenter");

    /// <summary>Names of the presets, in a stable order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["paper", "edge", "datacenter"];

    /// <summary>The preset named <paramref name="name"/> (case-insensitive), or false.</summary>
    public static bool TryGet(string name, out AcceleratorConfig config)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "paper":
                config = Paper;
                return true;
            case "edge":
                config = Edge;
                return true;
            case "datacenter":
                config = Datacenter;
                return true;
            default:
                config = Paper;
                return false;
        }
    }

    /// <summary>The preset named <paramref name="name"/>; throws naming the allowed presets when unknown.</summary>
    public static AcceleratorConfig Get(string name) => TryGet(name, out var c)
        ? c
        : throw new AcceleratorConfigException(null, null, $"unknown preset '{name}'; allowed presets: {string.Join(", ", Names)}");
}
