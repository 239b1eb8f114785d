using CsCheck;
using EtcdConfiguration.Mapping;
using EtcdConfiguration.Store;
using Microsoft.Extensions.Configuration;
using static EtcdConfiguration.Tests.Changes;

namespace EtcdConfiguration.Tests;

/// <summary>
/// The store remembers child keys between batches that change values only: after any sequence of batches, its
/// answers must be those of a store built from scratch with the same content.
/// </summary>
public sealed class ConfigurationStoreChildKeyPropertyTests
{
    private static readonly KeyMapper s_mapper = new("/p/");

    private static readonly string[] s_etcdKeys =
        ["/p/", "/p/a", "/p/A", "/p/a/b", "/p/A/B", "/p/a:b", "/p/a//b", "/p/a/b/c", "/p/b", "/p/c:d/e", "/p/c/d"];

    // null deletes; the same shapes with other values make batches that change values only.
    private static readonly string?[] s_values =
    [
        null, "1", "2", "{\"b\":\"x\"}", "{\"b\":\"y\"}", "{\"B\":\"y\",\"c\":{\"d\":\"1\"}}", "{\"B\":\"z\",\"c\":{\"d\":\"2\"}}",
        "[1,2]", "[3,4]", "{}", "{\"a\":{\"b\":\"z\"}}", "{\"A\":{\"B\":{\"C\":\"deep\"}}}",
    ];

    private static readonly string?[] s_parents = [null, "", "a", "A", "a:b", "A:B", "b", "c", "c:d", "S"];

    private static readonly Gen<(int Key, int Value)[]> s_batch =
        Gen.Select(Gen.Int[0, s_etcdKeys.Length - 1], Gen.Int[0, s_values.Length - 1]).Array[1, 4];

    [Fact]
    public void Child_keys_after_any_batches_are_those_of_a_fresh_store()
    {
        s_batch.Array[1, 10].Sample(
            batches =>
            {
                using var store = new ConfigurationStore(s_mapper.Prefix);
                var model = new Dictionary<string, EtcdKeyChange>(StringComparer.Ordinal);
                foreach (var batch in batches)
                {
                    var changes = new List<EtcdKeyChange>();
                    foreach (var (key, value) in batch)
                    {
                        var etcdKey = s_etcdKeys[key];
                        var change = s_values[value] is { } text && TryPut(s_mapper, etcdKey, text, EtcdValueFormat.Auto, out var put)
                            ? put
                            : Delete(etcdKey);
                        changes.Add(change);
                        if (change.Contribution is { Count: > 0 })
                        {
                            model[etcdKey] = change;
                        }
                        else
                        {
                            model.Remove(etcdKey);
                        }
                    }

                    store.Apply(changes);
                    using var fresh = new ConfigurationStore(s_mapper.Prefix);
                    fresh.Apply([.. model.Values]);
                    foreach (var parent in s_parents)
                    {
                        Assert.Equal(Canonical(fresh.GetChildKeys([], parent)), Canonical(store.GetChildKeys([], parent)));
                    }
                }
            },
            iter: 2000);
    }

    [Fact]
    public void A_value_change_keeps_the_child_keys_and_a_new_key_shows_at_once()
    {
        using var store = new ConfigurationStore(s_mapper.Prefix);
        Assert.True(TryPut(s_mapper, "/p/a", "{\"x\":\"1\",\"y\":\"2\"}", EtcdValueFormat.Auto, out var first));
        store.Apply([first]);
        Assert.Equal(["x", "y"], store.GetChildKeys([], "a"));

        Assert.True(TryPut(s_mapper, "/p/a", "{\"x\":\"3\",\"y\":\"4\"}", EtcdValueFormat.Auto, out var values));
        store.Apply([values]);
        Assert.Equal(["x", "y"], store.GetChildKeys([], "a"));
        Assert.True(store.TryGet("a:x", out var x));
        Assert.Equal("3", x);

        Assert.True(TryPut(s_mapper, "/p/a/z", "5", EtcdValueFormat.Auto, out var added));
        store.Apply([added]);
        Assert.Equal(["x", "y", "z"], store.GetChildKeys([], "a"));
    }

    [Fact]
    public void Child_keys_asked_before_the_first_load_are_not_kept()
    {
        using var store = new ConfigurationStore(s_mapper.Prefix);
        Assert.Empty(store.GetChildKeys([], null));
        Assert.Empty(store.GetChildKeys([], "a"));
        Assert.True(TryPut(s_mapper, "/p/a", "{\"x\":\"1\"}", EtcdValueFormat.Auto, out var a));
        Assert.True(TryPut(s_mapper, "/p/b", "2", EtcdValueFormat.Auto, out var b));

        store.ReplaceAll([a, b]);

        Assert.Equal(["a", "b"], store.GetChildKeys([], null));
        Assert.Equal(["x"], store.GetChildKeys([], "a"));
    }

    private static List<string> Canonical(IEnumerable<string> keys) =>
        [.. keys.Order(ConfigurationKeyComparer.Instance).ThenBy(k => k, StringComparer.Ordinal)];
}
