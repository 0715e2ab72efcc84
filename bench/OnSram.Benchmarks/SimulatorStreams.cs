using OnSram.Accelerator;
using OnSram.Speculation.Events;

namespace OnSram.Benchmarks;

/// <summary>
/// Synthetic event streams for the simulator benchmarks, built in code (no kernels, no runtime): a
/// ResNet-50-shaped network at batch 1 (stem, 16 bottleneck blocks, head) with convolutions, batch norms,
/// ReLUs, residual adds and releases after each tensor's last use; weights and the image are external.
/// </summary>
public static class SimulatorStreams
{
    /// <summary><paramref name="inferences"/> inferences, each closed by an <c>iteration</c> mark.</summary>
    public static SimEvent[] ResNetLike(int inferences)
    {
        var builder = new Builder();
        for (var i = 0; i < inferences; i++)
        {
            builder.Inference();
        }
        return builder.Events.ToArray();
    }

    private sealed class Builder
    {
        private long _nextId = 1;
        private int _ops;
        private readonly Dictionary<string, TensorInfo> _weights = new();

        public List<SimEvent> Events { get; } = new();

        public void Inference()
        {
            var image = Tensor(224, 224, 3);
            var x = Conv("stem", image, 112, 7, 64, stride: 2);
            Release(image);
            x = Relu(Norm(x));
            var pooled = Vector("MaxPool", x, Tensor(56, 56, 64), 9);
            Release(x);
            x = pooled;
            var stages = new (int Size, int Mid, int Out, int Blocks)[] { (56, 64, 256, 3), (28, 128, 512, 4), (14, 256, 1024, 6), (7, 512, 2048, 3) };
            for (var s = 0; s < stages.Length; s++)
            {
                var (size, mid, output, blocks) = stages[s];
                for (var b = 0; b < blocks; b++)
                {
                    x = Bottleneck($"s{s}b{b}", x, size, mid, output, projection: b == 0);
                }
            }
            var features = Vector("Mean", x, Tensor(1, 1, 2048), 1);
            Release(x);
            var logits = Matrix("MatMul", features, Weight("fc", 2048 * 1000), Tensor(1, 1, 1000), 2.0 * 2048 * 1000);
            Release(features);
            var probabilities = Vector("Softmax", logits, Tensor(1, 1, 1000), 1);
            Release(logits);
            Release(probabilities);
            Events.Add(SimEvent.ForMark(_ops, Marks.Iteration));
        }

        private TensorInfo Bottleneck(string name, TensorInfo x, int size, int mid, int output, bool projection)
        {
            var a = Relu(Norm(Conv(name + "a", x, size, 1, mid)));
            var b = Conv(name + "b", a, size, 3, mid);
            Release(a);
            var c = Norm(Conv(name + "c", Relu(Norm(b)), size, 1, output));
            var shortcut = projection ? Norm(Conv(name + "p", x, size, 1, output)) : x;
            var sum = Tensor(size, size, output);
            Op("AddV2", ComputeUnit.Vector, sum.Elements, [c, shortcut], sum, 1);
            Release(c);
            if (projection)
            {
                Release(shortcut);
            }
            Release(x);
            return Relu(sum);
        }

        private TensorInfo Conv(string name, TensorInfo x, int size, int k, int cout, int stride = 1)
        {
            var cin = x.Shape[^1];
            var y = Tensor(size, size, cout);
            var flops = 2.0 * size * size * cout * cin * k * k;
            return Matrix("Conv2D", x, Weight(name, k * k * cin * cout), y, flops, k * k * cout, k, stride);
        }

        private TensorInfo Norm(TensorInfo x)
        {
            var y = Tensor(x.Shape);
            Op("FusedBatchNormV3", ComputeUnit.Vector, 2.0 * x.Elements, [x, Weight("bn" + x.Shape[^1], 4 * x.Shape[^1])], y, 1);
            Release(x);
            return y;
        }

        private TensorInfo Relu(TensorInfo x) => Vector("Relu", x, Tensor(x.Shape), 1, release: true);

        private TensorInfo Vector(string type, TensorInfo x, TensorInfo y, double reuse, bool release = false)
        {
            Op(type, ComputeUnit.Vector, Math.Max(x.Elements, y.Elements), [x], y, reuse);
            if (release)
            {
                Release(x);
            }
            return y;
        }

        private TensorInfo Matrix(string type, TensorInfo x, TensorInfo w, TensorInfo y, double flops, double reuse = 1, int k = 1, int stride = 1)
        {
            Events.Add(SimEvent.ForOp(_ops++, new OpEvent(type, "", ComputeUnit.Matrix, flops, [x, w], [y], new OpTraits(reuse, k, k, stride, stride))));
            return y;
        }

        private void Op(string type, ComputeUnit unit, double flops, TensorInfo[] inputs, TensorInfo output, double reuse) =>
            Events.Add(SimEvent.ForOp(_ops++, new OpEvent(type, "", unit, flops, inputs, [output], new OpTraits(reuse))));

        private void Release(TensorInfo t) => Events.Add(SimEvent.ForRelease(_ops, t.Id));

        private TensorInfo Weight(string name, long elements)
        {
            if (!_weights.TryGetValue(name, out var w))
            {
                w = new TensorInfo(_nextId++, [elements], elements, 4, true);
                _weights.Add(name, w);
            }
            return w;
        }

        private TensorInfo Tensor(params long[] shape)
        {
            var elements = shape.Aggregate(1L, (a, b) => a * b);
            return new TensorInfo(_nextId++, shape, elements, 4, true);
        }
    }
}
