namespace EtcdConfiguration.Client;

/// <summary>The alarms of <see cref="MaintenanceClient.AlarmListAsync"/> or those <see cref="MaintenanceClient.AlarmDisarmAsync"/> disarmed.</summary>
/// <param name="Header">The response header.</param>
/// <param name="Alarms">The alarms; empty when there are none.</param>
public sealed record AlarmResponse(ResponseHeader Header, IReadOnlyList<AlarmMember> Alarms)
{
    internal static AlarmResponse From(Wire.AlarmResponse response) =>
        new(ResponseHeader.From(response.Header), response.Alarms.Select(AlarmMember.From).ToArray());
}
