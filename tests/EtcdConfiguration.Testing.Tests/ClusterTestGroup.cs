namespace EtcdConfiguration.Testing.Tests;

/// <summary>Tests that start three-member clusters run one at a time: the machine has two cores.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterTestGroup
{
    public const string Name = "etcd clusters";
}
