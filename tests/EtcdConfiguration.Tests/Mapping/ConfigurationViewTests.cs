using System.Text;
using EtcdConfiguration.Mapping;
using ConfigurationView = EtcdConfiguration.Mapping.ConfigurationView;

namespace EtcdConfiguration.Tests.Mapping;

/// <summary><see cref="ConfigurationView"/>: the provider's mapping of a listing, with overrides apart.</summary>
public sealed class ConfigurationViewTests
{
    private const string P = "/app/";

    private static (ReadOnlyMemory<byte>, ReadOnlyMemory<byte>) Kv(string key, string value) =>
        (Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value));

    [Fact]
    public void ValuesAreWhatTheProviderServesAndOverridesStandApart()
    {
        var view = ConfigurationView.Create(
            [
                Kv(P + "Db", """{ "Host": "blob", "Port": 1 }"""),
                Kv(P + "Db/Host", "key"),
                Kv(P + ".overrides/Db/Port", "2"),
                Kv(P + ".overridesNot/X", "ordinary"),
                Kv("/application/Other", "outside"),
            ],
            P,
            EtcdValueFormat.Auto);

        Assert.Equal(
            new Dictionary<string, string?> { ["Db:Host"] = "key", ["Db:Port"] = "1", [".overridesNot:X"] = "ordinary" },
            view.Values.OrderBy(v => v.Key, StringComparer.Ordinal).ToDictionary());
        Assert.Equal(new Dictionary<string, string?> { ["Db:Port"] = "2" }, view.Overrides.ToDictionary());
        var conflict = Assert.Single(view.Conflicts);
        Assert.Equal((P + "Db/Host", P + "Db"), (conflict.WinningEtcdKey, conflict.LosingEtcdKey));
        Assert.Empty(view.Skipped);
    }

    [Fact]
    public void SkippedKeysAreNamedWithAReasonButNoValue()
    {
        var view = ConfigurationView.Create(
            new (ReadOnlyMemory<byte>, ReadOnlyMemory<byte>)[]
            {
                Kv(P + "Bad", "{\"secret\": "),
                Kv(P + ".overrides/Worse", "[oops"),
                (Encoding.UTF8.GetBytes(P).Append((byte)0xFF).ToArray(), Encoding.UTF8.GetBytes("v")),
            },
            P,
            EtcdValueFormat.Auto);

        Assert.Empty(view.Values);
        Assert.Equal(
            [(P + "Bad", false), (P + @"\xFF", false), (P + ".overrides/Worse", true)],
            view.Skipped.Select(s => (s.EtcdKey, s.IsOverride)).OrderBy(s => s.IsOverride).ThenBy(s => s.EtcdKey, StringComparer.Ordinal));
        Assert.All(view.Skipped, s => Assert.DoesNotContain("secret", s.Reason));
    }

    [Theory]
    [InlineData("Checkout:MaxItems", "/app/Checkout/MaxItems", "/app/.overrides/Checkout/MaxItems")]
    [InlineData("A:b:C", "/app/A/b/C", "/app/.overrides/A/b/C")]
    public void KeyMapperMapsConfigurationKeysBackToEtcdKeys(string key, string etcdKey, string overrideKey)
    {
        var mapper = new KeyMapper("/app");

        Assert.Equal(etcdKey, mapper.ToEtcdKey(key));
        Assert.Equal(overrideKey, mapper.ToOverrideKey(key));
        Assert.True(mapper.TryMap(Encoding.UTF8.GetBytes(etcdKey), out var path, out _, out var isOverride, out _));
        Assert.Equal(key, path);
        Assert.False(isOverride);
        Assert.True(mapper.TryMap(Encoding.UTF8.GetBytes(overrideKey), out var overridden, out _, out isOverride, out _));
        Assert.Equal(key, overridden);
        Assert.True(isOverride);
        Assert.True(mapper.IsOverride(Encoding.UTF8.GetBytes(overrideKey)));
        Assert.False(mapper.IsOverride(Encoding.UTF8.GetBytes(etcdKey)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("A::B")]
    [InlineData("A:")]
    [InlineData("a/b")]
    [InlineData(".overrides:X")]
    public void KeysThatWouldNotMapBackHaveNoEtcdKeyOfTheirOwn(string key) =>
        Assert.False(KeyMapper.HasOwnEtcdKey(key));
}
