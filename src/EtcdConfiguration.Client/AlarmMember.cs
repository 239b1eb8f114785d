namespace EtcdConfiguration.Client;

/// <summary>An alarm raised by one member.</summary>
/// <param name="MemberId">The ID of the member that raised it.</param>
/// <param name="Alarm">What the alarm is about.</param>
public sealed record AlarmMember(ulong MemberId, AlarmType Alarm)
{
    internal static AlarmMember From(Wire.AlarmMember alarm) => new(alarm.MemberID, (AlarmType)alarm.Alarm);
}
