using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EchoBridge.Hosting;

namespace EchoBridge.Listener;

/// <summary>
/// Loads the TLS echo's certificate from files, the way Kestrel reads <c>Kestrel:Certificates:Default</c>: PEM
/// (<c>Path</c> + <c>KeyPath</c>) or PFX (<c>Path</c> + <c>Password</c>). A missing file or a wrong password fails
/// the start with one line naming the setting.
/// </summary>
public static class TlsCertificate
{
    /// <summary>Loads <paramref name="files"/>, named <paramref name="setting"/> in errors.</summary>
    public static X509Certificate2 Load(CertificateFileOptions files, string setting)
    {
        if (!File.Exists(files.Path))
        {
            throw new StartupException($"{setting}:Path: certificate file '{files.Path}' not found");
        }

        try
        {
            if (files.KeyPath.Length > 0)
            {
                if (!File.Exists(files.KeyPath))
                {
                    throw new StartupException($"{setting}:KeyPath: key file '{files.KeyPath}' not found");
                }

                using var pem = files.Password.Length > 0
                    ? X509Certificate2.CreateFromEncryptedPemFile(files.Path, files.Password, files.KeyPath)
                    : X509Certificate2.CreateFromPemFile(files.Path, files.KeyPath);
                // An ephemeral PEM key cannot serve TLS on every platform; a PKCS#12 round trip gives it a usable one.
                return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            }

            return X509CertificateLoader.LoadPkcs12FromFile(files.Path, files.Password.Length > 0 ? files.Password : null);
        }
        catch (CryptographicException ex)
        {
            throw new StartupException($"{setting}: cannot load the certificate '{files.Path}' ({ex.Message.TrimEnd('.')}; wrong password or not a certificate?)", ex);
        }
    }
}
