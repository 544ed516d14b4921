namespace EchoBridge.Contracts;

/// <summary>One endpoint of the echo listener: <c>tcp 127.0.0.1:9999</c>, <c>unix /run/echobridge.sock</c>, <c>udp [::]:9999</c>.</summary>
public sealed record EndpointStatus(string Protocol, string Address, bool Bound, bool Telnet);
