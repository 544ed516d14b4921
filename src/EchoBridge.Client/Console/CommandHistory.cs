namespace EchoBridge.Client.Console;

/// <summary>The console's ↑/↓ history, like a shell's: ↑ goes back, ↓ forward, past the newest is an empty line.</summary>
public sealed class CommandHistory(int capacity = 100)
{
    private readonly List<string> _lines = [];
    private int _cursor;

    /// <summary>Remembers a sent line (not a repeat of the last one) and resets the cursor to "new line".</summary>
    public void Add(string line)
    {
        if (line.Length > 0 && (_lines.Count == 0 || _lines[^1] != line))
        {
            _lines.Add(line);
            if (_lines.Count > capacity)
            {
                _lines.RemoveAt(0);
            }
        }

        _cursor = _lines.Count;
    }

    /// <summary>The line before the current one (↑); stays on the oldest.</summary>
    public string? Previous()
    {
        if (_lines.Count == 0)
        {
            return null;
        }

        _cursor = Math.Max(0, _cursor - 1);
        return _lines[_cursor];
    }

    /// <summary>The line after the current one (↓); past the newest, an empty line.</summary>
    public string Next()
    {
        _cursor = Math.Min(_lines.Count, _cursor + 1);
        return _cursor < _lines.Count ? _lines[_cursor] : string.Empty;
    }
}
