namespace OnSram.Accelerator;

/// <summary>The class of compute array an operation runs on.</summary>
public enum ComputeUnit
{
    /// <summary>The dense 2D systolic (matrix) array: Conv2D, MatMul, BatchMatMul and their fused forms.</summary>
    Matrix,

    /// <summary>The SIMD special-function (vector) array: elementwise, activation, normalization,
    /// pooling, reduction, softmax, concat and copy.</summary>
    Vector,
}
