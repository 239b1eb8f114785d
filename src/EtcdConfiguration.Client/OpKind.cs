namespace EtcdConfiguration.Client;

/// <summary>What an <see cref="Op"/> does, and so which payload its <see cref="OpResponse"/> carries.</summary>
public enum OpKind
{
    /// <summary>A range read (<see cref="Op.Get(string, GetOptions?)"/>).</summary>
    Get,

    /// <summary>A write of one key (<see cref="Op.Put(string, string, PutOptions?)"/>).</summary>
    Put,

    /// <summary>A deletion of a key or range (<see cref="Op.Delete(string, DeleteOptions?)"/>).</summary>
    Delete,

    /// <summary>A nested transaction (<see cref="Op.Txn"/>).</summary>
    Txn,
}
