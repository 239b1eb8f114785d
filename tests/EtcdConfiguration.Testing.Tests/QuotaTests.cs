namespace EtcdConfiguration.Testing.Tests;

public sealed class QuotaTests
{
    [Fact]
    public async Task A_small_backend_quota_makes_etcd_raise_NOSPACE_after_a_few_writes()
    {
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { QuotaBackendBytes = 1024 * 1024 });
        var value = new string('x', 100_000);

        // Each 100 KB revision stays in the database until compaction, so a 1 MiB quota is reached in about ten writes.
        EtcdctlException? refused = null;
        for (var i = 0; i < 100 && refused is null; i++)
        {
            try
            {
                await cluster.PutAsync("quota/key", value);
            }
            catch (EtcdctlException ex)
            {
                refused = ex;
            }
        }

        Assert.NotNull(refused);
        Assert.Contains("database space exceeded", refused.StandardError, StringComparison.Ordinal);
        Assert.Contains("alarm:NOSPACE", await cluster.EtcdctlAsync("alarm", "list"), StringComparison.Ordinal);
    }
}
