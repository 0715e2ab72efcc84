namespace OnSram.Speculation.Policies;

/// <summary>
/// Read-only view of the scratchpad and of the device tensors the simulator tracks (tensors produced by an
/// op and not yet released). Valid only during the call it is passed to.
/// </summary>
public interface ISpmState
{
    /// <summary>SPM bytes tensors can be held in: the capacity minus the reserved streaming buffer
    /// (<c>stream_buffer_bytes</c>), rounded down to the alignment; unbounded for the infinite policy.</summary>
    long CapacityBytes { get; }

    /// <summary>Free SPM bytes.</summary>
    long FreeBytes { get; }

    /// <summary>Largest contiguous free block.</summary>
    long LargestFreeBlock { get; }

    /// <summary>Number of held tensors.</summary>
    int HeldCount { get; }

    /// <summary>Held tensor number <paramref name="index"/> (0 .. <see cref="HeldCount"/> - 1), in a
    /// deterministic but unspecified order.</summary>
    TensorStatus GetHeld(int index);

    /// <summary>Status of a tracked device tensor; false for external tensors (weights, model input) and
    /// released or unknown ids.</summary>
    bool TryGetTensor(long tensorId, out TensorStatus status);

    /// <summary>True when <paramref name="tensorId"/> is held in the SPM.</summary>
    bool IsHeld(long tensorId);

    /// <summary>True when <paramref name="tensorId"/> is held and may be evicted now (it is neither an input
    /// nor an output of the op being executed).</summary>
    bool IsEvictable(long tensorId);
}

/// <summary>What the simulator knows of one device tensor.</summary>
/// <param name="TensorId">The tensor.</param>
/// <param name="DeviceBytes">Bytes on the device.</param>
/// <param name="IsHeld">True when it lives in the SPM now.</param>
/// <param name="BlockOffset">Offset of its SPM block (-1 when not held).</param>
/// <param name="BlockBytes">Size of its SPM block (0 when not held).</param>
/// <param name="ProducerOpIndex">Index of the op that produced it.</param>
/// <param name="LastUseOpIndex">Index of the last op that produced or read it.</param>
/// <param name="Reads">Reads by ops so far (each op reading it counts once).</param>
/// <param name="ReadsWhileHeld">Reads that found it in the SPM (hits).</param>
/// <param name="WrittenBack">True once a copy exists in external memory.</param>
public readonly record struct TensorStatus(
    long TensorId,
    long DeviceBytes,
    bool IsHeld,
    long BlockOffset,
    long BlockBytes,
    int ProducerOpIndex,
    int LastUseOpIndex,
    int Reads,
    int ReadsWhileHeld,
    bool WrittenBack);
