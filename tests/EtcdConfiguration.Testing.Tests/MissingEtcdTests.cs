namespace EtcdConfiguration.Testing.Tests;

/// <summary>Changes the process environment, so runs alone: no other test may start etcd meanwhile.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentTestGroup
{
    public const string Name = "process environment";
}

/// <summary>A machine without etcd gets one message that says how to install it, from the call a user makes.</summary>
[Collection(EnvironmentTestGroup.Name)]
public sealed class MissingEtcdTests
{
    private const string InstallAdvice =
        "on Debian or Ubuntu install it with: sudo apt-get install etcd-server etcd-client, or set ETCD_BIN to its full path.";

    [Fact]
    public async Task Starting_a_cluster_with_ETCD_BIN_naming_a_missing_file_says_how_to_install_etcd()
    {
        var missing = Path.Combine(Path.GetTempPath(), "etcd-testing-no-such-dir", "etcd");
        using var _ = new EnvironmentVariable("ETCD_BIN", missing);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => EtcdCluster.StartAsync());

        Assert.Equal($"etcd was not found: ETCD_BIN is '{missing}', which does not exist; {InstallAdvice}", error.Message);
    }

    [Fact]
    public async Task Starting_a_cluster_with_etcd_missing_from_PATH_says_how_to_install_etcd()
    {
        var empty = Directory.CreateTempSubdirectory("etcd-testing-empty-path-").FullName;
        try
        {
            using var noBin = new EnvironmentVariable("ETCD_BIN", null);
            using var path = new EnvironmentVariable("PATH", empty);

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => EtcdCluster.StartAsync());

            Assert.Equal($"etcd was not found on PATH; {InstallAdvice}", error.Message);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    /// <summary>Sets a variable of this process until disposed, then puts back what it was.</summary>
    private sealed class EnvironmentVariable : IDisposable
    {
        private readonly string _name;
        private readonly string? _previous;

        public EnvironmentVariable(string name, string? value)
        {
            _name = name;
            _previous = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }

        public void Dispose() => Environment.SetEnvironmentVariable(_name, _previous);
    }
}
