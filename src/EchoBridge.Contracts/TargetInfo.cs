namespace EchoBridge.Contracts;

/// <summary>An allow-listed bridge target. The browser only ever names one; it never supplies a host or port.</summary>
public sealed record TargetInfo(string Name, string Description);
