using EtcdConfiguration.Client;

namespace EtcdConfiguration.Tests.Validation;

internal static class KvExtensions
{
    /// <summary>Puts two keys in one transaction, so the provider gets them as one revision.</summary>
    public static Task<TxnResponse> TxnAsyncPut(this KVClient kv, string key1, string value1, string key2, string value2) =>
        kv.Txn().Then(Op.Put(key1, value1), Op.Put(key2, value2)).CommitAsync();
}
