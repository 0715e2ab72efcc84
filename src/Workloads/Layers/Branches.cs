using OnSram.Runtime;

namespace OnSram.Workloads.Layers;

/// <summary>
/// Branches over one input merged by a <see cref="MergeLayer"/>: the functional pattern of Inception
/// modules (<see cref="Concatenate"/>) and residual blocks (<see cref="Add"/>). Branches run one after
/// another in the given order, each to its end, as a hand-written eager script runs them; a null
/// branch is the identity (the input itself, e.g. a residual shortcut). The input is released right
/// after its last use: inside the last branch, or after the merge when a branch is the identity.
/// Branch outputs are released after the merge.
/// </summary>
public sealed class Branches : Layer
{
    private readonly Layer?[] _branches;

    /// <summary>Creates the block.</summary>
    /// <param name="merge">Combines the branch outputs, in branch order.</param>
    /// <param name="branches">At least two branches; null is the identity.</param>
    public Branches(MergeLayer merge, params Layer?[] branches) : this(merge, branches, null)
    {
    }

    /// <summary>Creates a named block.</summary>
    /// <param name="merge">Combines the branch outputs, in branch order.</param>
    /// <param name="branches">At least two branches; null is the identity.</param>
    /// <param name="name">Layer name.</param>
    public Branches(MergeLayer merge, IEnumerable<Layer?> branches, string? name) : base(name)
    {
        ArgumentNullException.ThrowIfNull(merge);
        ArgumentNullException.ThrowIfNull(branches);
        _branches = branches.ToArray();
        if (_branches.Length < 2)
        {
            throw new ArgumentException("a Branches layer needs at least two branches");
        }
        if (_branches.Count(b => b is null) > 1)
        {
            throw new ArgumentException("a Branches layer takes at most one identity branch");
        }
        foreach (var b in _branches)
        {
            if (b is not null)
            {
                Track(b);
            }
        }
        Merge = Track(merge);
    }

    /// <summary>The branches (null is the identity).</summary>
    public IReadOnlyList<Layer?> Paths => _branches;

    /// <summary>The merge layer.</summary>
    public MergeLayer Merge { get; }

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) => Run(input, owned: false);

    /// <inheritdoc />
    protected override Tensor ForwardAndRelease(Tensor input) => Run(input, owned: true);

    private Tensor Run(Tensor input, bool owned)
    {
        var hasIdentity = _branches.Any(b => b is null);
        var lastBranch = Array.FindLastIndex(_branches, b => b is not null);
        var outputs = new Tensor[_branches.Length];
        for (var i = 0; i < _branches.Length; i++)
        {
            var b = _branches[i];
            outputs[i] = b is null ? input
                : owned && !hasIdentity && i == lastBranch ? b.CallAndRelease(input)
                : b.Call(input);
        }
        var y = Merge.Call(outputs);
        for (var i = 0; i < _branches.Length; i++)
        {
            if (_branches[i] is not null)
            {
                outputs[i].Dispose();
            }
        }
        if (owned && hasIdentity)
        {
            input.Dispose();
        }
        return y;
    }
}
