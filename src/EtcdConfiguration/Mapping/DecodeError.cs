namespace EtcdConfiguration.Mapping;

/// <summary>
/// Why a value gave no configuration values. The message names the problem and where it is (a configuration
/// key, a line and byte position) but never the value, which may be a secret.
/// </summary>
/// <param name="Kind">The kind of problem.</param>
/// <param name="Message">A sentence describing it, without the etcd key (the caller adds that).</param>
internal sealed record DecodeError(DecodeErrorKind Kind, string Message);
