namespace EchoBridge.Tests.Hostile;

/// <summary>
/// The heavy hostile tests (thousands of sockets, RSS and CPU of a child process) run alone: beside other tests their
/// figures would measure the neighbours, and the neighbours' timing would suffer.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostileCollection
{
    public const string Name = "Hostile, alone";
}
