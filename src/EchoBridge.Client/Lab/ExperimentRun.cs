using EchoBridge.Client.Hub;

namespace EchoBridge.Client.Lab;

/// <summary>One experiment button's state: running, its last result, or why it failed (in plain words).</summary>
public sealed class ExperimentRun<T>
    where T : class
{
    /// <summary>Whether a run is under way (the button is disabled meanwhile).</summary>
    public bool Running { get; private set; }

    /// <summary>The last run's result.</summary>
    public T? Result { get; private set; }

    /// <summary>Why the last run failed, if it did.</summary>
    public string? Error { get; private set; }

    /// <summary>Runs <paramref name="experiment"/> once; a failure is kept as words, never thrown.</summary>
    public async Task RunAsync(Func<Task<T>> experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        Running = true;
        Error = null;
        try
        {
            Result = await experiment();
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            Result = null;
            Error = HubErrors.Describe(error);
        }
        finally
        {
            Running = false;
        }
    }
}
