using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace EchoBridge.Hosting;

/// <summary>
/// The shared secret of the hub and dashboard: <c>EchoBridge:AccessToken</c>, or one made up at start when the HTTP
/// endpoint listens beyond loopback without one (<see cref="HttpAccessStartup"/>); empty = open.
/// </summary>
public sealed class AccessToken
{
    /// <summary>The setting's key.</summary>
    public const string Setting = "EchoBridge:AccessToken";

    /// <summary>The query parameter SignalR's browser client uses for WebSockets, also accepted by the dashboard.</summary>
    public const string QueryParameter = "access_token";

    /// <summary>The HttpOnly cookie a dashboard visit with <c>?access_token=</c> gets.</summary>
    public const string CookieName = "echobridge_token";

    // Published whole, so a reader never sees a token with another token's hash.
    private volatile Secret _secret;

    /// <summary>Takes the configured token.</summary>
    public AccessToken(IOptions<EchoBridgeOptions> options) => _secret = new Secret(options.Value.AccessToken, Generated: false);

    /// <summary>The token, or empty when none is required.</summary>
    public string Value => _secret.Value;

    /// <summary>Whether a token is required.</summary>
    public bool Required => _secret.Value.Length > 0;

    /// <summary>Whether the token was made up at start rather than configured.</summary>
    public bool Generated => _secret.Generated;

    /// <summary>
    /// Whether <paramref name="presented"/> is the token. Hashes of equal length are compared in constant time, so
    /// timing tells neither the token's bytes nor its length.
    /// </summary>
    public bool Matches(string? presented)
    {
        var secret = _secret;
        return secret.Value.Length > 0 && presented is not null
            && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), secret.Hash);
    }

    /// <summary>Makes up a random token (192 bits, hex, as Jupyter's) unless one is already required; returns the token.</summary>
    internal string Generate()
    {
        var current = _secret;
        if (current.Value.Length > 0)
        {
            return current.Value;
        }

        var made = new Secret(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)), Generated: true);
#pragma warning disable CS0420 // a volatile field passed by reference: Interlocked gives it the same guarantee
        return Interlocked.CompareExchange(ref _secret, made, current) == current ? made.Value : _secret.Value;
#pragma warning restore CS0420
    }

    private sealed record Secret(string Value, bool Generated)
    {
        public byte[] Hash { get; } = SHA256.HashData(Encoding.UTF8.GetBytes(Value));
    }
}
