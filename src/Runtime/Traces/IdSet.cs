namespace OnSram.Runtime.Traces;

/// <summary>
/// A set of tensor ids as bits on 8 KB pages: one bit per id in the ranges a trace uses, so remembering
/// every id ever seen costs about 125 KB per million ids instead of a hash entry each.
/// </summary>
internal sealed class IdSet
{
    private const int PageShift = 16;
    private const long OffsetMask = (1L << PageShift) - 1;
    private readonly Dictionary<long, ulong[]> _pages = new();
    private long _lastKey = long.MinValue;
    private ulong[]? _lastPage;

    public bool Contains(long id)
    {
        var page = Page(id, create: false);
        if (page is null)
        {
            return false;
        }
        var offset = id & OffsetMask;
        return (page[offset >> 6] & (1UL << (int)(offset & 63))) != 0;
    }

    public void Add(long id)
    {
        var page = Page(id, create: true)!;
        var offset = id & OffsetMask;
        page[offset >> 6] |= 1UL << (int)(offset & 63);
    }

    private ulong[]? Page(long id, bool create)
    {
        var key = id >> PageShift;
        if (key == _lastKey && _lastPage is not null)
        {
            return _lastPage;
        }
        if (!_pages.TryGetValue(key, out var page))
        {
            if (!create)
            {
                return null;
            }
            page = new ulong[(1 << PageShift) / 64];
            _pages.Add(key, page);
        }
        _lastKey = key;
        _lastPage = page;
        return page;
    }
}
