using EtcdConfiguration.Client;
using EtcdConfiguration.Mapping;

namespace EtcdConfiguration;

/// <summary>
/// Writes configuration into etcd the way <see cref="EtcdConfigurationProvider"/> reads it: keys are given in
/// configuration syntax (<c>Checkout:MaxItems</c>) and stored at the etcd key the provider maps back to them
/// (<c>{prefix}Checkout/MaxItems</c>). Temporary overrides live under <c>{prefix}.overrides/</c>, bound to an etcd
/// lease, and vanish by themselves; the ordinary value underneath is never touched.
/// </summary>
/// <remarks>
/// Values are stored as given. With <see cref="EtcdValueFormat.Auto"/> a value whose first non-blank character is
/// <c>{</c> or <c>[</c> is read back as JSON and flattened beneath its key, so such a value sets a whole section.
/// The writer does not own the client: dispose the client yourself.
/// </remarks>
public sealed class EtcdConfigurationWriter
{
    private readonly EtcdClient _client;
    private readonly KeyMapper _mapper;

    /// <summary>Creates a writer for the keys under <paramref name="prefix"/>.</summary>
    /// <param name="client">The client to write with.</param>
    /// <param name="prefix">The key prefix of the configuration source; <c>/myapp</c> and <c>/myapp/</c> are the same.</param>
    /// <exception cref="ArgumentException">The prefix is empty.</exception>
    public EtcdConfigurationWriter(EtcdClient client, string prefix)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        _client = client;
        _mapper = new KeyMapper(prefix);
    }

    /// <summary>The normalised prefix, ending with <c>/</c>.</summary>
    public string Prefix => _mapper.Prefix;

    /// <summary>
    /// How the source reads values (<see cref="EtcdConfigurationSource.ValueFormat"/>); it decides how a
    /// <see langword="null"/> value is stored. <see cref="EtcdValueFormat.Auto"/> by default.
    /// </summary>
    public EtcdValueFormat ValueFormat { get; init; } = EtcdValueFormat.Auto;

    /// <summary>The etcd key at which <paramref name="key"/> is stored.</summary>
    /// <exception cref="ArgumentException">The key has no etcd key of its own (an empty section, a <c>/</c> inside a section, or the reserved first section <c>.overrides</c>).</exception>
    public string GetEtcdKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return _mapper.ToEtcdKey(key);
    }

    /// <summary>The etcd key at which the temporary override of <paramref name="key"/> is stored.</summary>
    /// <exception cref="ArgumentException">The key has no etcd key of its own.</exception>
    public string GetOverrideKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return _mapper.ToOverrideKey(key);
    }

    /// <summary>Sets an ordinary configuration key.</summary>
    /// <param name="key">The configuration key, such as <c>Checkout:MaxItems</c>.</param>
    /// <param name="value">The value; <see langword="null"/> stores a value the provider reads as null (<c>{}</c>).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The etcd revision of the write.</returns>
    /// <exception cref="ArgumentException">The key has no etcd key of its own.</exception>
    /// <exception cref="NotSupportedException">The value is null and the format is <see cref="EtcdValueFormat.Raw"/>, which cannot express null.</exception>
    /// <exception cref="EtcdException">etcd refused the write or could not be reached.</exception>
    public async Task<long> SetAsync(string key, string? value, CancellationToken cancellationToken = default)
    {
        var etcdKey = GetEtcdKey(key);
        var put = await _client.KV.PutAsync(etcdKey, Encode(key, value), cancellationToken: cancellationToken).ConfigureAwait(false);
        return put.Header.Revision;
    }

    /// <summary>Deletes an ordinary configuration key (its own etcd key; keys below it and JSON values above it stay).</summary>
    /// <param name="key">The configuration key.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether the etcd key existed.</returns>
    /// <exception cref="ArgumentException">The key has no etcd key of its own.</exception>
    /// <exception cref="EtcdException">etcd refused the delete or could not be reached.</exception>
    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var etcdKey = GetEtcdKey(key);
        var deleted = await _client.KV.DeleteAsync(etcdKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return deleted.Deleted > 0;
    }

    /// <summary>
    /// Writes a temporary override of <paramref name="key"/>, bound to a new lease of <paramref name="duration"/>
    /// (rounded up to whole seconds, at least one). Writing the same override again replaces it, and the lease of
    /// the one it replaces is revoked.
    /// </summary>
    /// <param name="key">The configuration key to override.</param>
    /// <param name="value">The value while the override lasts, decoded like any value of the source.</param>
    /// <param name="duration">How long the override lasts.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The override: its etcd key, lease and expiry.</returns>
    /// <exception cref="ArgumentException">The key has no etcd key of its own.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The duration is not positive.</exception>
    /// <exception cref="EtcdException">etcd refused the write or could not be reached.</exception>
    public async Task<EtcdConfigurationOverride> SetOverrideAsync(string key, string value, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var etcdKey = GetOverrideKey(key);
        var seconds = Math.Max(1, (long)Math.Ceiling(duration.TotalSeconds));
        var lease = await _client.Lease.GrantAsync(seconds, cancellationToken).ConfigureAwait(false);
        PutResponse put;
        try
        {
            put = await _client.KV.PutAsync(etcdKey, value, new PutOptions { Lease = lease.Id, PrevKv = true }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The lease would only expire unused; give it back at once. The write's failure is what the caller sees.
            await RevokeQuietlyAsync(lease.Id).ConfigureAwait(false);
            throw;
        }

        if (put.PrevKv is { Lease: not 0 } previous && previous.Lease != lease.Id)
        {
            await RevokeQuietlyAsync(previous.Lease).ConfigureAwait(false);
        }

        var ttl = TimeSpan.FromSeconds(lease.Ttl);
        return new EtcdConfigurationOverride(key, etcdKey, lease.Id, ttl, DateTimeOffset.UtcNow + ttl, put.Header.Revision);
    }

    /// <summary>Removes the temporary override of <paramref name="key"/> before it expires, and revokes its lease.</summary>
    /// <param name="key">The configuration key whose override to remove.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether there was an override.</returns>
    /// <exception cref="ArgumentException">The key has no etcd key of its own.</exception>
    /// <exception cref="EtcdException">etcd refused the delete or could not be reached.</exception>
    public async Task<bool> RemoveOverrideAsync(string key, CancellationToken cancellationToken = default)
    {
        var etcdKey = GetOverrideKey(key);
        var deleted = await _client.KV.DeleteAsync(etcdKey, new DeleteOptions { PrevKv = true }, cancellationToken).ConfigureAwait(false);
        foreach (var previous in deleted.PrevKvs)
        {
            if (previous.Lease != 0)
            {
                await RevokeQuietlyAsync(previous.Lease).ConfigureAwait(false);
            }
        }

        return deleted.Deleted > 0;
    }

    private string Encode(string key, string? value) => value ?? ValueFormat switch
    {
        // An empty JSON object is what the JSON file provider reads as a null value, and so does the provider.
        EtcdValueFormat.Auto or EtcdValueFormat.Json => "{}",
        _ => throw new NotSupportedException($"The configuration key '{key}' cannot be set to null: the Raw value format stores text only."),
    };

    // A lease that is already gone (expired, or revoked by another writer) needs nothing more.
    private async Task RevokeQuietlyAsync(long leaseId)
    {
        try
        {
            await _client.Lease.RevokeAsync(leaseId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (EtcdLeaseNotFoundException)
        {
            // Already gone: the goal is reached.
        }
    }
}
