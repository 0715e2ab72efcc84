using System.Text;

namespace OnSram.Cli.Bench;

/// <summary>A plain-text table with aligned columns (what redirected output and <c>--plain</c> get).</summary>
public sealed class TextTable
{
    private readonly string[] _headers;
    private readonly bool[] _rightAligned;
    private readonly List<string[]?> _rows = new();

    /// <summary>A table with <paramref name="headers"/>; columns flagged in <paramref name="rightAligned"/> align right (numbers).</summary>
    public TextTable(IReadOnlyList<string> headers, IReadOnlyList<bool> rightAligned)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rightAligned);
        if (headers.Count != rightAligned.Count)
        {
            throw new ArgumentException("one alignment per header", nameof(rightAligned));
        }
        _headers = headers.ToArray();
        _rightAligned = rightAligned.ToArray();
    }

    /// <summary>Adds a row (as many cells as headers).</summary>
    public void Add(params string[] cells)
    {
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"a row needs {_headers.Length} cells, got {cells.Length}", nameof(cells));
        }
        _rows.Add(cells);
    }

    /// <summary>Adds a separator line.</summary>
    public void AddSeparator() => _rows.Add(null);

    /// <summary>The table, lines ending in '\n'.</summary>
    public override string ToString()
    {
        var widths = _headers.Select(h => h.Length).ToArray();
        foreach (var row in _rows.OfType<string[]>())
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }
        var sb = new StringBuilder();
        Line(sb, _headers, widths);
        var rule = string.Join("  ", widths.Select(w => new string('-', w)));
        sb.Append(rule).Append('\n');
        foreach (var row in _rows)
        {
            if (row is null)
            {
                sb.Append(rule).Append('\n');
            }
            else
            {
                Line(sb, row, widths);
            }
        }
        return sb.ToString();
    }

    private void Line(StringBuilder sb, string[] cells, int[] widths)
    {
        var parts = new string[cells.Length];
        for (var i = 0; i < cells.Length; i++)
        {
            parts[i] = _rightAligned[i] ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i]);
        }
        sb.Append(string.Join("  ", parts).TrimEnd()).Append('\n');
    }
}
