namespace EtcdConfiguration.Tests.Support;

/// <summary>
/// Fault tests on three-member clusters run alone: three etcd members, a writer and an app are already more
/// than two cores carry, and the recovery times they print mean something only on a quiet machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultTestGroup
{
    public const string Name = "provider faults on clusters";
}
