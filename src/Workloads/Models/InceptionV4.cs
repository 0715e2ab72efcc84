using OnSram.Runtime;
using OnSram.Workloads.Layers;

namespace OnSram.Workloads.Models;

/// <summary>
/// Inception-v4 (Szegedy et al. 2017) as TF-slim's <c>inception_v4</c>: convolutions without bias
/// followed by batch norm (scale=False, epsilon 1e-3) and ReLU; stem (Mixed_3a/4a/5a), 4 Inception-A,
/// Reduction-A, 7 Inception-B, Reduction-B, 3 Inception-C, 8x8 average pool, dropout, 1000-way
/// softmax (slim uses 1001 classes; the auxiliary head is omitted). 149 convolutions,
/// 42,711,400 parameters (published: 42.7 M).
/// </summary>
public static class InceptionV4
{
    /// <summary>The registry entry.</summary>
    public static NetworkSpec Spec(bool fused) => new(fused ? "inception_v4_fused" : "inception_v4",
        "Inception-v4 (149 conv: stem, 4xA, RedA, 7xB, RedB, 3xC), 299x299 input, 1000 classes",
        "Szegedy et al. 2017 'Inception-v4, Inception-ResNet...' (TF-slim inception_v4, no aux logits)",
        new Shape(1, 299, 299, 3), DType.Float32, fused, (f, _) => Build(f));

    /// <summary>Builds the layer tree.</summary>
    public static Layer Build(bool fused)
    {
        var n = 0;
        Layer C(int filters, int kh, int kw, int strides = 1, string padding = "same") =>
            Blocks.ConvBn(fused, $"conv2d_{++n}", filters, (kh, kw), strides, padding, scale: false);
        Layer MaxPool(string name) => new MaxPooling2D(3, 2, "valid", name);
        Layer AvgProj(string name, int filters) =>
            Blocks.Seq(name, new AveragePooling2D(3, 1, "same", name + "_avgpool"), C(filters, 1, 1));

        var layers = new List<Layer>
        {
            C(32, 3, 3, 2, "valid"), C(32, 3, 3, 1, "valid"), C(64, 3, 3),
            Blocks.Concat("mixed_3a", MaxPool("mixed_3a_pool"), C(96, 3, 3, 2, "valid")),
            Blocks.Concat("mixed_4a",
                Blocks.Seq("mixed_4a_b0", C(64, 1, 1), C(96, 3, 3, 1, "valid")),
                Blocks.Seq("mixed_4a_b1", C(64, 1, 1), C(64, 1, 7), C(64, 7, 1), C(96, 3, 3, 1, "valid"))),
            Blocks.Concat("mixed_5a", C(192, 3, 3, 2, "valid"), MaxPool("mixed_5a_pool")),
        };
        for (var i = 0; i < 4; i++)
        {
            var m = $"inception_a{i + 1}";
            layers.Add(Blocks.Concat(m,
                C(96, 1, 1),
                Blocks.Seq(m + "_b1", C(64, 1, 1), C(96, 3, 3)),
                Blocks.Seq(m + "_b2", C(64, 1, 1), C(96, 3, 3), C(96, 3, 3)),
                AvgProj(m + "_b3", 96)));
        }
        layers.Add(Blocks.Concat("reduction_a",
            C(384, 3, 3, 2, "valid"),
            Blocks.Seq("reduction_a_b1", C(192, 1, 1), C(224, 3, 3), C(256, 3, 3, 2, "valid")),
            MaxPool("reduction_a_pool")));
        for (var i = 0; i < 7; i++)
        {
            var m = $"inception_b{i + 1}";
            layers.Add(Blocks.Concat(m,
                C(384, 1, 1),
                Blocks.Seq(m + "_b1", C(192, 1, 1), C(224, 1, 7), C(256, 7, 1)),
                Blocks.Seq(m + "_b2", C(192, 1, 1), C(192, 7, 1), C(224, 1, 7), C(224, 7, 1), C(256, 1, 7)),
                AvgProj(m + "_b3", 128)));
        }
        layers.Add(Blocks.Concat("reduction_b",
            Blocks.Seq("reduction_b_b0", C(192, 1, 1), C(192, 3, 3, 2, "valid")),
            Blocks.Seq("reduction_b_b1", C(256, 1, 1), C(256, 1, 7), C(320, 7, 1), C(320, 3, 3, 2, "valid")),
            MaxPool("reduction_b_pool")));
        for (var i = 0; i < 3; i++)
        {
            var m = $"inception_c{i + 1}";
            layers.Add(Blocks.Concat(m,
                C(256, 1, 1),
                Blocks.Seq(m + "_b1", C(384, 1, 1), Blocks.Concat(m + "_b1_split", C(256, 1, 3), C(256, 3, 1))),
                Blocks.Seq(m + "_b2", C(384, 1, 1), C(448, 3, 1), C(512, 1, 3), Blocks.Concat(m + "_b2_split", C(256, 1, 3), C(256, 3, 1))),
                AvgProj(m + "_b3", 256)));
        }
        layers.Add(new AveragePooling2D(8, 1, "valid", "avg_pool_8x8"));
        layers.Add(new Dropout(0.2, "dropout"));
        layers.Add(new Flatten("flatten"));
        layers.Add(new Dense(1000, "softmax", fused: fused, name: "logits"));
        return new Sequential(layers, "inception_v4");
    }
}
