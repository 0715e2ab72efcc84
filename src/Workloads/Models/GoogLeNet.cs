using OnSram.Runtime;
using OnSram.Workloads.Layers;

namespace OnSram.Workloads.Models;

/// <summary>
/// GoogLeNet / Inception v1 (Szegedy et al. 2015, Table 1): convolutions with bias and ReLU, the two
/// LRN layers of the paper (Caffe's local_size 5, alpha 1e-4, beta 0.75), nine Inception modules
/// (1x1, 1x1-3x3, 1x1-5x5 and 3x3 max pool-1x1 branches joined by ConcatV2), 7x7 average pool,
/// dropout and a 1000-way classifier. The two auxiliary classifiers (training only) are omitted.
/// SAME pooling reproduces Caffe's ceil-mode sizes (112-56-28-14-7). 6,998,552 parameters (the
/// paper's table rounds to about 6.8 M: its per-layer figures leave out biases).
/// </summary>
public static class GoogLeNet
{
    /// <summary>Inception modules: name, 1x1, 3x3 reduce, 3x3, 5x5 reduce, 5x5, pool projection.</summary>
    internal static readonly (string Name, int C1, int R3, int C3, int R5, int C5, int Pool)[] Modules =
    {
        ("3a", 64, 96, 128, 16, 32, 32), ("3b", 128, 128, 192, 32, 96, 64),
        ("4a", 192, 96, 208, 16, 48, 64), ("4b", 160, 112, 224, 24, 64, 64), ("4c", 128, 128, 256, 24, 64, 64),
        ("4d", 112, 144, 288, 32, 64, 64), ("4e", 256, 160, 320, 32, 128, 128),
        ("5a", 256, 160, 320, 32, 128, 128), ("5b", 384, 192, 384, 48, 128, 128),
    };

    /// <summary>The registry entry.</summary>
    public static NetworkSpec Spec(bool fused) => new(fused ? "googlenet_fused" : "googlenet",
        "GoogLeNet / Inception v1 (9 Inception modules, no auxiliary heads), 224x224 input, 1000 classes",
        "Szegedy et al. 2015 'Going deeper with convolutions', Table 1 (bvlc_googlenet without aux classifiers)",
        new Shape(1, 224, 224, 3), DType.Float32, fused, (f, _) => Build(f));

    /// <summary>Builds the layer tree.</summary>
    public static Layer Build(bool fused)
    {
        Conv2D Conv(string name, int filters, Size2 k, int s = 1) =>
            new(filters, k, s, "same", activation: "relu", fused: fused, name: name);
        var layers = new List<Layer>
        {
            Conv("conv1_7x7_s2", 64, 7, 2),
            new MaxPooling2D(3, 2, "same", "pool1_3x3_s2"),
            Lrn("pool1_norm1"),
            Conv("conv2_3x3_reduce", 64, 1),
            Conv("conv2_3x3", 192, 3),
            Lrn("conv2_norm2"),
            new MaxPooling2D(3, 2, "same", "pool2_3x3_s2"),
        };
        foreach (var m in Modules)
        {
            var n = "inception_" + m.Name;
            layers.Add(Blocks.Concat(n,
                Conv(n + "_1x1", m.C1, 1),
                Blocks.Seq(n + "_3x3_branch", Conv(n + "_3x3_reduce", m.R3, 1), Conv(n + "_3x3", m.C3, 3)),
                Blocks.Seq(n + "_5x5_branch", Conv(n + "_5x5_reduce", m.R5, 1), Conv(n + "_5x5", m.C5, 5)),
                Blocks.Seq(n + "_pool_branch", new MaxPooling2D(3, 1, "same", n + "_pool"), Conv(n + "_pool_proj", m.Pool, 1))));
            if (m.Name is "3b" or "4e")
            {
                layers.Add(new MaxPooling2D(3, 2, "same", $"pool{(m.Name == "3b" ? 3 : 4)}_3x3_s2"));
            }
        }
        layers.Add(new AveragePooling2D(7, 1, "valid", "pool5_7x7_s1"));
        layers.Add(new Dropout(0.4, "pool5_drop"));
        layers.Add(new Flatten("flatten"));
        layers.Add(new Dense(1000, "softmax", fused: fused, name: "loss3_classifier"));
        return new Sequential(layers, "googlenet");
    }

    private static LocalResponseNormalization Lrn(string name) =>
        new(depth_radius: 2, bias: 1f, alpha: 1e-4f / 5, beta: 0.75f, name: name);
}
