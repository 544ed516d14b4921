using System.Net;
using EchoBridge.Contracts;

namespace EchoBridge.Capture;

/// <summary>
/// Who talked in a captured session, as the exports show it: the transport, the client's and the server's end points
/// (null when there is no IP address, as on a Unix socket) and a line that says it in words (path, peer, target).
/// <c>In</c> chunks went from <see cref="Client"/> to <see cref="Server"/>.
/// </summary>
public sealed record CaptureParties(SessionKind Kind, IPEndPoint? Client, IPEndPoint? Server, string Description);
