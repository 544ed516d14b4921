using EchoBridge.Bench.Cli;

namespace EchoBridge.Bench.Load;

/// <summary>How the hub mode's SignalR client talks to the bridge hub.</summary>
/// <param name="Url">The hub's full URL.</param>
/// <param name="Target">The bridge target each connection opens.</param>
/// <param name="Bytes">Send with <c>SendBytes</c> (binary) instead of <c>Send</c> (text).</param>
/// <param name="Protocol">JSON or MessagePack.</param>
/// <param name="NoWait">
/// Send as SignalR's fire-and-forget message (<c>SendAsync</c>): the server writes no completion back, one message
/// less per send each way. A refusal is then not answered; the bench would see it as an echo that never comes.
/// </param>
/// <param name="SessionsPerConnection">
/// How many bridge sessions share one hub connection, as several consoles of one dashboard tab do (1: each its own).
/// </param>
public sealed record HubClientSettings(Uri Url, string Target, bool Bytes, HubProtocol Protocol, bool NoWait, int SessionsPerConnection);
