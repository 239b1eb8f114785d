using System.Text;
using EtcdConfiguration.Mapping;
using Microsoft.Extensions.Configuration.Json;

namespace EtcdConfiguration.Tests;

/// <summary>The framework's JSON file provider, as the reference our flattening must match.</summary>
internal static class FrameworkJson
{
    /// <summary>The provider's data for a document, keys spelled as it stores them; throws as it throws.</summary>
    public static Dictionary<string, string?> Flatten(string json)
    {
        var provider = new ExposedJsonProvider();
        provider.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        return new Dictionary<string, string?>(provider.Pairs, StringComparer.Ordinal);
    }

    /// <summary>
    /// Whether the provider accepts the document; if not, the kind of error we should report for it: a duplicate
    /// key (it throws a FormatException) or invalid JSON (a JsonException).
    /// </summary>
    public static bool TryFlatten(string json, out Dictionary<string, string?> pairs, out DecodeErrorKind? rejection)
    {
        pairs = [];
        rejection = null;
        try
        {
            pairs = Flatten(json);
            return true;
        }
        catch (FormatException)
        {
            rejection = DecodeErrorKind.DuplicateKey;
            return false;
        }
        catch (System.Text.Json.JsonException)
        {
            rejection = DecodeErrorKind.InvalidJson;
            return false;
        }
    }

    private sealed class ExposedJsonProvider() : JsonStreamConfigurationProvider(new JsonStreamConfigurationSource())
    {
        public IDictionary<string, string?> Pairs => Data;
    }
}
