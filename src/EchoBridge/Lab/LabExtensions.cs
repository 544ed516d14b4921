namespace EchoBridge.Lab;

/// <summary>Wires the socket lab's server side: the kernel's view of the echo ports and the experiments.</summary>
public static class LabExtensions
{
    /// <summary>Adds <see cref="KernelSocketWatch"/>, the experiments and the hub's <see cref="SocketLab"/>.</summary>
    public static WebApplicationBuilder AddSocketLab(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<KernelSocketWatch>();
        builder.Services.AddSingleton<ExperimentGate>();
        builder.Services.AddSingleton<EchoPorts>();
        builder.Services.AddSingleton<LabSessions>();
        builder.Services.AddSingleton<ReuseAddressExperiment>();
        builder.Services.AddSingleton<StreamDatagramExperiment>();
        builder.Services.AddSingleton<HalfCloseExperiment>();
        builder.Services.AddSingleton<SocketLab>();
        return builder;
    }
}
