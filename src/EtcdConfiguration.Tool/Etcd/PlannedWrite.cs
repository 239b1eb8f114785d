namespace EtcdConfiguration.Tool.Etcd;

/// <summary>
/// One etcd operation of a guarded write: a put (<see cref="Value"/> set) or a delete of one key, valid only while
/// the key's mod revision is still <see cref="ExpectedModRevision"/> (0: the key must not exist).
/// </summary>
internal sealed record PlannedWrite(ReadOnlyMemory<byte> Key, ReadOnlyMemory<byte>? Value, long ExpectedModRevision)
{
    public bool IsDelete => Value is null;
}
