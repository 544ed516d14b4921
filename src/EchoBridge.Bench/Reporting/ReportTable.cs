namespace EchoBridge.Bench.Reporting;

/// <summary>A two-column table for people: a title line, then label, right-aligned value, and an optional note.</summary>
public sealed class ReportTable(string title)
{
    private readonly List<(string Label, string Value, string Note)> _rows = [];

    /// <summary>Adds a row.</summary>
    public ReportTable Row(string label, string value, string note = "")
    {
        _rows.Add((label, value, note));
        return this;
    }

    /// <summary>Writes the table.</summary>
    public void WriteTo(TextWriter output)
    {
        var labelWidth = _rows.Max(r => r.Label.Length);
        var valueWidth = _rows.Max(r => r.Value.Length);
        output.WriteLine(title);
        output.WriteLine();
        foreach (var (label, value, note) in _rows)
        {
            var line = $"  {label.PadRight(labelWidth)}  {value.PadLeft(valueWidth)}";
            output.WriteLine(note.Length == 0 ? line : $"{line}   {note}");
        }
    }
}
