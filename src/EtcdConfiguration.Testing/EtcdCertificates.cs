using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EtcdConfiguration.Testing;

/// <summary>
/// A throwaway CA, a server certificate for 127.0.0.1/localhost and a client certificate, written as PEM files.
/// </summary>
public sealed class EtcdCertificates : IDisposable
{
    private static readonly Oid _serverAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid _clientAuth = new("1.3.6.1.5.5.7.3.2");

    private EtcdCertificates(string directory, X509Certificate2 ca, X509Certificate2 client)
    {
        Directory = directory;
        CaCertificateFile = Path.Combine(directory, "ca.crt");
        ServerCertificateFile = Path.Combine(directory, "server.crt");
        ServerKeyFile = Path.Combine(directory, "server.key");
        ClientCertificateFile = Path.Combine(directory, "client.crt");
        ClientKeyFile = Path.Combine(directory, "client.key");
        CaCertificate = ca;
        ClientCertificate = client;
    }

    /// <summary>The directory holding the PEM files.</summary>
    public string Directory { get; }

    /// <summary>The CA certificate (PEM) that signed the server and client certificates.</summary>
    public string CaCertificateFile { get; }

    /// <summary>The server certificate (PEM); etcd's <c>--cert-file</c>.</summary>
    public string ServerCertificateFile { get; }

    /// <summary>The server's PKCS#8 private key (PEM); etcd's <c>--key-file</c>.</summary>
    public string ServerKeyFile { get; }

    /// <summary>The client certificate (PEM); its common name is the etcd user under client-cert-auth.</summary>
    public string ClientCertificateFile { get; }

    /// <summary>The client's PKCS#8 private key (PEM).</summary>
    public string ClientKeyFile { get; }

    /// <summary>The CA certificate, without its private key; trust it to accept the server.</summary>
    public X509Certificate2 CaCertificate { get; }

    /// <summary>The client certificate with its private key, ready for a TLS client.</summary>
    public X509Certificate2 ClientCertificate { get; }

    /// <summary>
    /// Creates the CA, a server certificate valid for 127.0.0.1, ::1 and localhost, and a client certificate
    /// whose common name is <paramref name="clientCommonName"/>, and writes them to <paramref name="directory"/>.
    /// </summary>
    public static EtcdCertificates Create(string directory, string clientCommonName = "root")
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        return Create(directory, clientCommonName, names);
    }

    /// <summary>
    /// Like <see cref="Create(string, string)"/>, but the server certificate names only <c>wrong.example</c>: a client that checks
    /// the host name (127.0.0.1) must refuse it although the CA is trusted.
    /// </summary>
    public static EtcdCertificates CreateWithWrongServerName(string directory)
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("wrong.example");
        return Create(directory, "root", names);
    }

    /// <summary>Disposes the in-memory certificates (the files stay until their directory is deleted).</summary>
    public void Dispose()
    {
        CaCertificate.Dispose();
        ClientCertificate.Dispose();
    }

    private static EtcdCertificates Create(string directory, string clientCommonName, SubjectAlternativeNameBuilder serverNames)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(clientCommonName);
        System.IO.Directory.CreateDirectory(directory);

        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        var notAfter = DateTimeOffset.UtcNow.AddYears(1);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=etcd-testing CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(
            new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter);

        var result = new EtcdCertificates(
            directory,
            X509CertificateLoader.LoadCertificate(ca.RawData),
            IssueLeaf(ca, $"CN={clientCommonName}", [_clientAuth], null, notBefore, notAfter, out var clientKeyPem));

        // etcd 3.4's gRPC gateway dials the member with its own server certificate as a client certificate,
        // so under --client-cert-auth the server certificate needs clientAuth too.
        using var server = IssueLeaf(ca, "CN=etcd-testing server", [_serverAuth, _clientAuth], serverNames, notBefore, notAfter, out var serverKeyPem);

        File.WriteAllText(result.CaCertificateFile, ca.ExportCertificatePem() + "\n");
        File.WriteAllText(result.ServerCertificateFile, server.ExportCertificatePem() + "\n");
        WritePrivate(result.ServerKeyFile, serverKeyPem);
        File.WriteAllText(result.ClientCertificateFile, result.ClientCertificate.ExportCertificatePem() + "\n");
        WritePrivate(result.ClientKeyFile, clientKeyPem);
        return result;
    }

    private static X509Certificate2 IssueLeaf(
        X509Certificate2 ca, string subject, Oid[] usages, SubjectAlternativeNameBuilder? names,
        DateTimeOffset notBefore, DateTimeOffset notAfter, out string privateKeyPem)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([.. usages], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        if (names is not null)
        {
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(ca, notBefore, notAfter, serial);
        privateKeyPem = key.ExportPkcs8PrivateKeyPem();
        return issued.CopyWithPrivateKey(key);
    }

    private static void WritePrivate(string path, string pem)
    {
        File.WriteAllText(path, pem + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
