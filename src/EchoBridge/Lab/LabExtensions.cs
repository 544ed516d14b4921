namespace EchoBridge.Lab;

/// <summary>Wires the socket lab's server side: the kernel's view of the echo ports.</summary>
public static class LabExtensions
{
    /// <summary>Adds <see cref="KernelSocketWatch"/> and the hub's <see cref="SocketLab"/>.</summary>
    public static WebApplicationBuilder AddSocketLab(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<KernelSocketWatch>();
        builder.Services.AddSingleton<SocketLab>();
        return builder;
    }
}
