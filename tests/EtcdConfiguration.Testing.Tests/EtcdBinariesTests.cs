
namespace EtcdConfiguration.Testing.Tests;

public sealed class EtcdBinariesTests
{
    [Fact]
    public void A_missing_etcd_binary_says_how_to_install_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() => EtcdBinaries.Locate(
            "etcd", "ETCD_BIN", name => name == "ETCD_BIN" ? "/nonexistent/etcd" : Environment.GetEnvironmentVariable(name)));

        Assert.Contains("/nonexistent/etcd", error.Message, StringComparison.Ordinal);
        Assert.Contains("on Debian or Ubuntu install it with: sudo apt-get install etcd-server etcd-client, or set ETCD_BIN to its full path.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Etcd_missing_from_path_says_how_to_install_it()
    {
        var empty = Directory.CreateTempSubdirectory("etcd-testing-empty-path-").FullName;
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => EtcdBinaries.Locate(
                "etcd", "ETCD_BIN", name => name == "PATH" ? empty : null));

            Assert.Contains("on Debian or Ubuntu install it with: sudo apt-get install etcd-server etcd-client, or set ETCD_BIN to its full path.", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public void Etcd_and_etcdctl_are_found_on_this_machine()
    {
        Assert.True(File.Exists(EtcdBinaries.Etcd));
        Assert.True(File.Exists(EtcdBinaries.Etcdctl));
        Assert.Equal(EtcdBinaries.Etcd, EtcdBinaries.Locate("etcd", "ETCD_BIN", name => name == "ETCD_BIN" ? EtcdBinaries.Etcd : null));
    }
}
