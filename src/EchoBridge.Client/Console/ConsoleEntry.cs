namespace EchoBridge.Client.Console;

/// <summary>One line of a console's transcript.</summary>
/// <param name="Kind">sent, received, info or error.</param>
/// <param name="Text">What to show.</param>
/// <param name="RoundTrip">For a received entry that answers a send: the time since that send.</param>
public sealed record ConsoleEntry(long Id, string Kind, string Text, TimeSpan? RoundTrip = null);
