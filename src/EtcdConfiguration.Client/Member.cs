namespace EtcdConfiguration.Client;

/// <summary>One member of an etcd cluster.</summary>
/// <param name="Id">The member's ID.</param>
/// <param name="Name">The member's name (empty until it has started).</param>
/// <param name="PeerUrls">The URLs other members reach it at.</param>
/// <param name="ClientUrls">The URLs clients reach it at.</param>
/// <param name="IsLearner">Whether it is a learner (not voting).</param>
public sealed record Member(ulong Id, string Name, IReadOnlyList<string> PeerUrls, IReadOnlyList<string> ClientUrls, bool IsLearner)
{
    internal static Member From(Wire.Member member) =>
        new(member.ID, member.Name, member.PeerURLs.ToArray(), member.ClientURLs.ToArray(), member.IsLearner);

    internal static IReadOnlyList<Member> From(IEnumerable<Wire.Member> members) => members.Select(From).ToArray();
}
