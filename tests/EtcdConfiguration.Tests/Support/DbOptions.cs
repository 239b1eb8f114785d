namespace EtcdConfiguration.Tests.Support;

/// <summary>An options class bound from the <c>Db</c> section.</summary>
public sealed class DbOptions
{
    public string Host { get; set; } = string.Empty;

    public int Port { get; set; }
}
