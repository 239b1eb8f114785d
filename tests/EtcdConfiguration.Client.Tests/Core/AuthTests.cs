using EtcdConfiguration.Client.Tests.Harness;

namespace EtcdConfiguration.Client.Tests.Core;

/// <summary>Authentication against a real etcd: good and bad credentials, permissions, token expiry.</summary>
public sealed class AuthTests(AuthFixture fixture) : IClassFixture<AuthFixture>
{
    [Fact]
    public async Task ConnectAsync_with_valid_credentials_reads_and_writes()
    {
        await using var client = await EtcdClient.ConnectAsync(fixture.Options(AuthFixture.Writer, AuthFixture.WriterPassword));
        var key = $"/app/{Guid.NewGuid():N}";

        await client.KV.PutAsync(key, "v");

        Assert.Equal("v", Assert.Single((await client.KV.GetAsync(key)).Kvs).Value);
        Assert.Equal("v", await fixture.Cluster.GetAsync(key));
    }

    [Theory]
    [InlineData(AuthFixture.Writer, "wrong-password-83")]
    [InlineData("nobody", "some-password-29")]
    public async Task A_wrong_user_or_password_fails_with_EtcdAuthenticationException_naming_the_user_but_not_the_password(string user, string password)
    {
        var ex = await Assert.ThrowsAsync<EtcdAuthenticationException>(() => EtcdClient.ConnectAsync(fixture.Options(user, password)));

        Assert.Contains($"'{user}'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(password, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_without_credentials_fails_with_EtcdAuthenticationException()
    {
        await using var client = new EtcdClient(fixture.Options(null, null));

        var ex = await Assert.ThrowsAsync<EtcdAuthenticationException>(() => client.KV.GetAsync("/ro/greeting"));

        Assert.Contains("Username", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_only_user_reads_but_a_put_fails_with_EtcdPermissionDeniedException_naming_the_user()
    {
        await using var client = new EtcdClient(fixture.Options(AuthFixture.Reader, AuthFixture.ReaderPassword));

        var read = await client.KV.GetAsync("/ro/greeting");
        var ex = await Assert.ThrowsAsync<EtcdPermissionDeniedException>(() => client.KV.PutAsync("/ro/greeting", "changed"));
        var outside = await Assert.ThrowsAsync<EtcdPermissionDeniedException>(() => client.KV.GetAsync("/app/anything"));

        Assert.Equal("hello", Assert.Single(read.Kvs).Value);
        Assert.Contains($"'{AuthFixture.Reader}'", ex.Message, StringComparison.Ordinal);
        Assert.Equal("KV.Put", ex.Operation);
        Assert.DoesNotContain(AuthFixture.ReaderPassword, ex.ToString(), StringComparison.Ordinal);
        Assert.Contains($"'{AuthFixture.Reader}'", outside.Message, StringComparison.Ordinal);
        Assert.Equal("hello", await fixture.Cluster.GetAsync("/ro/greeting"));
    }

    [Fact]
    public async Task An_expired_token_is_replaced_transparently()
    {
        var logs = new FakeLogCollector();
        await using var client = new EtcdClient(fixture.Options(AuthFixture.Reader, AuthFixture.ReaderPassword, logs));
        Assert.Single((await client.KV.GetAsync("/ro/greeting")).Kvs);

        // The cluster's tokens live 2 s after their last use; only waiting lets one expire.
        await TokenExpiry.WaitUntilTokensIssuedNowExpireAsync(fixture.Cluster, AuthFixture.Reader, AuthFixture.ReaderPassword, "/ro/greeting");
        var afterExpiry = await client.KV.GetAsync("/ro/greeting");

        Assert.Equal("hello", Assert.Single(afterExpiry.Kvs).Value);
        Assert.Contains(logs.Lines, line => line.Contains("rejected the authentication token", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => line.Contains(AuthFixture.ReaderPassword, StringComparison.Ordinal));
    }
}
