namespace EtcdConfiguration.Store;

/// <summary>
/// What readers find under a configuration key. <see cref="Owner"/> says who gave the value: <see langword="null"/>
/// when the only contributor is the etcd key whose path is this very key, written the plain way (prefix + path with
/// ':' as '/'), giving just this one pair, so nothing else is stored for it; a <see cref="Contributor"/> when that
/// is the only contributor; a <see cref="ContenderSet"/> when there are several, and the value is the winner's.
/// </summary>
internal readonly record struct Slot(string? Value, object? Owner);
