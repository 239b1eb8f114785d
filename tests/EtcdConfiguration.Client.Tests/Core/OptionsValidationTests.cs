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
    public void The_defaults_are_valid() => new EtcdClientOptions().Validate();
}
