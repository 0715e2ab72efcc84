using OnSram.Runtime;
using OnSram.Workloads.Layers;
using static OnSram.Runtime.Binding;

namespace OnSram.Workloads.Models;

/// <summary>
/// SSD300 (Liu et al. 2016) for PASCAL VOC (21 classes), as the reference Caffe model and its ports
/// (ssd.pytorch, ssd_keras) define it: VGG-16 conv1_1-conv5_3 with pool3 in ceil mode (SAME here),
/// pool5 3x3/1, fc6 as a 3x3 convolution of dilation 6 with 1024 filters and fc7 as 1x1; L2Normalization
/// (learned scale) on conv4_3; extra layers conv6 (1x1 256, 3x3/2 512), conv7 (1x1 128, 3x3/2 256),
/// conv8 and conv9 (1x1 128, 3x3 VALID 256). Six sources (38², 19², 10², 5², 3², 1²) with 4, 6, 6, 6, 4,
/// 4 default boxes feed 3x3 box (4 per box) and class (21 per box) convolutions, 8732 boxes in all.
/// As the reference forward pass: the backbone runs first, then per source the box and class heads;
/// each head output is flattened (Reshape [N, -1], a view), boxes and classes are concatenated
/// (ConcatV2 on axis 1) and reshaped to [N, 8732, 4] and [N, 8732, 21]; the classes go through Softmax.
/// The output joins both on the last axis: [1, 8732, 25]. Prior boxes (constants) and the NMS
/// post-processing are not part of the network. 26,285,486 parameters.
/// </summary>
public static class Ssd300
{
    /// <summary>Classes including background (PASCAL VOC).</summary>
    public const int Classes = 21;

    /// <summary>Default boxes per location of each source.</summary>
    internal static readonly int[] BoxesPerLocation = { 4, 6, 6, 6, 4, 4 };

    /// <summary>The registry entry.</summary>
    public static NetworkSpec Spec(bool fused) => new(fused ? "ssd300_fused" : "ssd300",
        "SSD300 (VGG-16 backbone, 6 sources, 8732 boxes, 21 classes), 300x300 input",
        "Liu et al. 2016 'SSD: Single shot multibox detector' (Caffe SSD300 VOC, ssd.pytorch)",
        new Shape(1, 300, 300, 3), DType.Float32, fused, (f, _) => new Ssd300Model(f));

    /// <summary>Builds the model.</summary>
    public static Layer Build(bool fused) => new Ssd300Model(fused);

    private sealed class Ssd300Model : Layer
    {
        private readonly Layer _toConv4;
        private readonly L2Normalization _norm;
        private readonly Layer _toFc7;
        private readonly Layer[] _extras;
        private readonly Conv2D[] _loc;
        private readonly Conv2D[] _conf;

        public Ssd300Model(bool fused) : base("ssd300")
        {
            Conv2D Conv(string name, int filters, int k, int s = 1, string padding = "same", int dilation = 1, string? act = "relu") =>
                new(filters, k, s, padding, dilation, activation: act, fused: fused, name: name);
            MaxPooling2D Pool(string name, int k = 2, int s = 2) => new(k, s, "same", name);

            _toConv4 = Track(Blocks.Seq("vgg_to_conv4_3",
                Conv("conv1_1", 64, 3), Conv("conv1_2", 64, 3), Pool("pool1"),
                Conv("conv2_1", 128, 3), Conv("conv2_2", 128, 3), Pool("pool2"),
                Conv("conv3_1", 256, 3), Conv("conv3_2", 256, 3), Conv("conv3_3", 256, 3), Pool("pool3"),
                Conv("conv4_1", 512, 3), Conv("conv4_2", 512, 3), Conv("conv4_3", 512, 3)));
            _norm = Track(new L2Normalization(20, "conv4_3_norm"));
            _toFc7 = Track(Blocks.Seq("vgg_to_fc7",
                Pool("pool4"),
                Conv("conv5_1", 512, 3), Conv("conv5_2", 512, 3), Conv("conv5_3", 512, 3), Pool("pool5", 3, 1),
                Conv("fc6", 1024, 3, dilation: 6), Conv("fc7", 1024, 1)));
            _extras = new Layer[]
            {
                Track(Blocks.Seq("conv6", Conv("conv6_1", 256, 1), Conv("conv6_2", 512, 3, 2))),
                Track(Blocks.Seq("conv7", Conv("conv7_1", 128, 1), Conv("conv7_2", 256, 3, 2))),
                Track(Blocks.Seq("conv8", Conv("conv8_1", 128, 1), Conv("conv8_2", 256, 3, padding: "valid"))),
                Track(Blocks.Seq("conv9", Conv("conv9_1", 128, 1), Conv("conv9_2", 256, 3, padding: "valid"))),
            };
            var sources = new[] { "conv4_3", "fc7", "conv6_2", "conv7_2", "conv8_2", "conv9_2" };
            _loc = new Conv2D[sources.Length];
            _conf = new Conv2D[sources.Length];
            for (var i = 0; i < sources.Length; i++)
            {
                _loc[i] = Track(Conv(sources[i] + "_mbox_loc", BoxesPerLocation[i] * 4, 3, act: null));
                _conf[i] = Track(Conv(sources[i] + "_mbox_conf", BoxesPerLocation[i] * Classes, 3, act: null));
            }
        }

        protected override Tensor Forward(Tensor input)
        {
            var conv4 = _toConv4.Call(input);
            var sources = new Tensor[_loc.Length];
            sources[0] = _norm.Call(conv4);
            sources[1] = _toFc7.CallAndRelease(conv4);
            for (var i = 0; i < _extras.Length; i++)
            {
                sources[i + 2] = _extras[i].Call(sources[i + 1]);
            }
            var n = input.shape[0];
            var locFlat = new Tensor[sources.Length];
            var confFlat = new Tensor[sources.Length];
            for (var i = 0; i < sources.Length; i++)
            {
                locFlat[i] = _loc[i].Call(sources[i]).Then(t => Emit.Reshape(t, n, t.size / n));
                confFlat[i] = _conf[i].Call(sources[i]).Then(t => Emit.Reshape(t, n, t.size / n));
                sources[i].Dispose();
            }
            var loc = Join(locFlat, n, 4);
            var conf = Join(confFlat, n, Classes).Then(t => tf.nn.softmax(t));
            var y = Emit.Scoped(() => tf.concat(new[] { loc, conf }, 2));
            loc.Dispose();
            conf.Dispose();
            return y;
        }

        /// <summary>ConcatV2 of the flattened heads on axis 1, then a [N, boxes, width] view.</summary>
        private static Tensor Join(Tensor[] flats, long n, int width)
        {
            var cat = Emit.Scoped(() => tf.concat(flats, 1));
            foreach (var f in flats)
            {
                f.Dispose();
            }
            return cat.Then(t => Emit.Reshape(t, n, t.size / n / width, width));
        }
    }
}
