namespace OnSram.Runtime;

/// <summary>
/// Releases, when disposed, every tensor created while it was the innermost open scope of its
/// context, except those passed to <see cref="Keep"/> (which move to the enclosing scope, if any).
/// </summary>
public sealed class TensorScope : IDisposable
{
    private readonly EagerContext _context;
    private readonly List<Tensor> _tracked = new();
    private readonly HashSet<Tensor> _kept = new(ReferenceEqualityComparer.Instance);
    private bool _disposed;

    internal TensorScope(EagerContext context) => _context = context;

    /// <summary>Number of tensors this scope will release.</summary>
    public int Count => _tracked.Count(t => !_kept.Contains(t) && !t.IsDisposed);

    /// <summary>Excludes <paramref name="tensor"/> from release; returns it for chaining.</summary>
    public Tensor Keep(Tensor tensor)
    {
        _kept.Add(tensor);
        return tensor;
    }

    internal void Track(Tensor tensor) => _tracked.Add(tensor);

    /// <summary>Releases the tracked tensors in creation order.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        var enclosing = _context.EndScope(this);
        foreach (var t in _tracked)
        {
            if (_kept.Contains(t))
            {
                _context.Adopt(enclosing, t);
            }
            else
            {
                t.Dispose();
            }
        }
        _tracked.Clear();
    }
}
