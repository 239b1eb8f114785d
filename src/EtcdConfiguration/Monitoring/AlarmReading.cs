namespace EtcdConfiguration.Monitoring;

/// <summary>What <see cref="AlarmProbe"/> learned at <see cref="ReadAt"/>: etcd's active alarms, or why it could not tell.</summary>
/// <param name="Alarms">Each active alarm, such as <c>NOSPACE on member 8e9e05c52164694d (m0, http://127.0.0.1:2379)</c>; empty when there are none or etcd did not answer.</param>
/// <param name="Failure">Why etcd's alarms are unknown, as whole sentences; <see langword="null"/> when etcd answered.</param>
/// <param name="ReadAt">When etcd answered, or the question failed.</param>
internal sealed record AlarmReading(IReadOnlyList<string> Alarms, string? Failure, DateTimeOffset ReadAt)
{
    public static AlarmReading Answered(IReadOnlyList<string> alarms, DateTimeOffset at) => new(alarms, null, at);

    public static AlarmReading Failed(string why, DateTimeOffset at) => new([], why, at);
}
