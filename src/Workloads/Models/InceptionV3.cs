using OnSram.Runtime;
using OnSram.Workloads.Layers;

namespace OnSram.Workloads.Models;

/// <summary>
/// Inception-v3 (Szegedy et al. 2016) as Keras's <c>InceptionV3</c> (include_top): every convolution is
/// Keras's <c>conv2d_bn</c> (Conv2D without bias, BatchNormalization with scale=False, ReLU), the stem,
/// mixed0-mixed10 (35x35, 17x17 and 8x8 modules with their reductions), global average pooling and a
/// 1000-way softmax. The auxiliary classifier is omitted, as in Keras. 94 convolutions,
/// 23,851,784 parameters (Keras total, including the batch-norm moving statistics).
/// </summary>
public static class InceptionV3
{
    /// <summary>The registry entry.</summary>
    public static NetworkSpec Spec(bool fused) => new(fused ? "inception_v3_fused" : "inception_v3",
        "Inception-v3 (94 conv, mixed0-mixed10), 299x299 input, 1000 classes",
        "Szegedy et al. 2016 'Rethinking the Inception architecture' (Keras applications InceptionV3)",
        new Shape(1, 299, 299, 3), DType.Float32, fused, (f, _) => Build(f));

    /// <summary>Builds the layer tree.</summary>
    public static Layer Build(bool fused)
    {
        var n = 0;
        Layer C(int filters, int kh, int kw, int strides = 1, string padding = "same") =>
            Blocks.ConvBn(fused, $"conv2d_{++n}", filters, (kh, kw), strides, padding, scale: false);
        Layer AvgProj(string name, int filters) =>
            Blocks.Seq(name, new AveragePooling2D(3, 1, "same", name + "_avgpool"), C(filters, 1, 1));

        var layers = new List<Layer>
        {
            C(32, 3, 3, 2, "valid"), C(32, 3, 3, 1, "valid"), C(64, 3, 3),
            new MaxPooling2D(3, 2, name: "max_pooling2d_1"),
            C(80, 1, 1, 1, "valid"), C(192, 3, 3, 1, "valid"),
            new MaxPooling2D(3, 2, name: "max_pooling2d_2"),
        };
        foreach (var (i, pool) in new[] { (0, 32), (1, 64), (2, 64) })
        {
            var m = $"mixed{i}";
            layers.Add(Blocks.Concat(m,
                C(64, 1, 1),
                Blocks.Seq(m + "_5x5", C(48, 1, 1), C(64, 5, 5)),
                Blocks.Seq(m + "_3x3dbl", C(64, 1, 1), C(96, 3, 3), C(96, 3, 3)),
                AvgProj(m + "_pool", pool)));
        }
        layers.Add(Blocks.Concat("mixed3",
            C(384, 3, 3, 2, "valid"),
            Blocks.Seq("mixed3_3x3dbl", C(64, 1, 1), C(96, 3, 3), C(96, 3, 3, 2, "valid")),
            new MaxPooling2D(3, 2, name: "mixed3_pool")));
        foreach (var (i, c7) in new[] { (4, 128), (5, 160), (6, 160), (7, 192) })
        {
            var m = $"mixed{i}";
            layers.Add(Blocks.Concat(m,
                C(192, 1, 1),
                Blocks.Seq(m + "_7x7", C(c7, 1, 1), C(c7, 1, 7), C(192, 7, 1)),
                Blocks.Seq(m + "_7x7dbl", C(c7, 1, 1), C(c7, 7, 1), C(c7, 1, 7), C(c7, 7, 1), C(192, 1, 7)),
                AvgProj(m + "_pool", 192)));
        }
        layers.Add(Blocks.Concat("mixed8",
            Blocks.Seq("mixed8_3x3", C(192, 1, 1), C(320, 3, 3, 2, "valid")),
            Blocks.Seq("mixed8_7x7x3", C(192, 1, 1), C(192, 1, 7), C(192, 7, 1), C(192, 3, 3, 2, "valid")),
            new MaxPooling2D(3, 2, name: "mixed8_pool")));
        foreach (var i in new[] { 9, 10 })
        {
            var m = $"mixed{i}";
            layers.Add(Blocks.Concat(m,
                C(320, 1, 1),
                Blocks.Seq(m + "_3x3", C(384, 1, 1), Blocks.Concat(m + "_3x3_split", C(384, 1, 3), C(384, 3, 1))),
                Blocks.Seq(m + "_3x3dbl", C(448, 1, 1), C(384, 3, 3), Blocks.Concat(m + "_3x3dbl_split", C(384, 1, 3), C(384, 3, 1))),
                AvgProj(m + "_pool", 192)));
        }
        layers.Add(new GlobalAveragePooling2D(name: "avg_pool"));
        layers.Add(new Dense(1000, "softmax", fused: fused, name: "predictions"));
        return new Sequential(layers, "inception_v3");
    }
}
