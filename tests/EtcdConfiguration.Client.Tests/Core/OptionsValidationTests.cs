namespace EtcdConfiguration.Client.Tests.Core;

public sealed class OptionsValidationTests
{
    [Fact]
    public void A_client_with_out_of_range_options_is_refused_with_every_problem_named()
    {
        var options = new EtcdClientOptions { MaxRetries = 150, MaxReceiveMessageSize = 10, TimeProvider = null! };

        var error = Assert.Throws<ArgumentException>(() => new EtcdClient(options));

        Assert.Contains("MaxRetries must be between 0 and 100, not 150.", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxReceiveMessageSize must be at least 1024 bytes, not 10.", error.Message, StringComparison.Ordinal);
        Assert.Contains("TimeProvider must not be null", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_send_limit_below_1024_bytes_and_a_negative_auto_sync_interval_are_refused()
    {
        var options = new EtcdClientOptions { MaxSendMessageSize = 100, AutoSyncInterval = TimeSpan.FromSeconds(-1) };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("MaxSendMessageSize must be at least 1024 bytes, not 100.", error.Message, StringComparison.Ordinal);
        Assert.Contains("AutoSyncInterval must not be negative", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_are_valid()
    {
        var options = new EtcdClientOptions();

        options.Validate();

        Assert.Equal(2 * 1024 * 1024, options.MaxSendMessageSize);
        Assert.False(options.RequireLeader);
        Assert.Null(options.AutoSyncInterval);
    }
}
