using OnSram.Accelerator;
using OnSram.Speculation.Events;

namespace OnSram.Speculation.Tests.Support;

/// <summary>
/// The op stream of MobileNetV1 (224x224, width 1.0, batch 1) written by hand for planner tests: each layer a
/// convolution (3x3 stride 2 first, then 13 depthwise-3x3 + pointwise-1x1 pairs), FusedBatchNormV3 and Relu6;
/// then a 7x7 average pool, MatMul to 1000 classes and Softmax. FLOPs count a multiply-add as 2.
/// </summary>
public static class MobileNetStream
{
    public static StreamBuilder Build(int iterations = 1)
    {
        var s = new StreamBuilder();
        var image = s.Tensor(1, 224, 224, 3);
        var weights = new List<TensorInfo>();
        for (var it = 0; it < iterations; it++)
        {
            var k = 0;
            TensorInfo W(params long[] shape)
            {
                if (k == weights.Count)
                {
                    weights.Add(s.Tensor(shape));
                }
                return weights[k++];
            }

            TensorInfo Bn(TensorInfo t)
            {
                var c = t.Shape[3];
                var y = s.Op("FusedBatchNormV3", ComputeUnit.Vector, 2.0 * t.Elements, [t, W(c), W(c), W(c), W(c)], t.Shape);
                return s.Op("Relu6", ComputeUnit.Vector, t.Elements, [y], y.Shape);
            }

            TensorInfo Conv(TensorInfo t, int kernel, int stride, long cout)
            {
                var h = (t.Shape[1] + stride - 1) / stride;
                var cin = t.Shape[3];
                var flops = 2.0 * kernel * kernel * cin * cout * h * h;
                return Bn(s.Op("Conv2D", ComputeUnit.Matrix, flops, [t, W(kernel, kernel, cin, cout)], [1, h, h, cout],
                    new OpTraits(kernel * kernel * cout, kernel, kernel, stride, stride)));
            }

            TensorInfo Depthwise(TensorInfo t, int stride)
            {
                var h = (t.Shape[1] + stride - 1) / stride;
                var c = t.Shape[3];
                return Bn(s.Op("DepthwiseConv2dNative", ComputeUnit.Matrix, 2.0 * 9 * c * h * h, [t, W(3, 3, c, 1)], [1, h, h, c],
                    new OpTraits(9, 3, 3, stride, stride)));
            }

            var x = Conv(image, 3, 2, 32);
            foreach (var (stride, cout) in new[] { (1, 64), (2, 128), (1, 128), (2, 256), (1, 256), (2, 512), (1, 512), (1, 512), (1, 512), (1, 512), (1, 512), (2, 1024), (1, 1024) })
            {
                x = Conv(Depthwise(x, stride), 1, 1, cout);
            }
            var pooled = s.Op("AvgPool", ComputeUnit.Vector, x.Elements, [x], [1, 1, 1, 1024], new OpTraits(1, 7, 7, 7, 7));
            var logits = s.Op("MatMul", ComputeUnit.Matrix, 2.0 * 1024 * 1000, [pooled, W(1024, 1000)], [1, 1000], new OpTraits(1000));
            s.Op("Softmax", ComputeUnit.Vector, 5.0 * 1000, [logits], [1, 1000]);
            s.Mark();
        }
        return s;
    }
}
