using System.Text;
using CsCheck;
using EtcdConfiguration.Mapping;

namespace EtcdConfiguration.Tests;

public sealed class JsonFlatteningPropertyTests
{
    [Fact]
    public void Random_documents_flatten_at_the_root_exactly_as_the_json_file_provider_does()
    {
        JsonDocuments.Documents.Sample(
            (document, style) =>
            {
                string json = JsonDocuments.Write(document, style);
                AssertSameAsFramework(json, EtcdValueFormat.Auto, "", json);
            },
            iter: 3000,
            print: t => JsonDocuments.Write(t.Item1, t.Item2));
    }

    [Fact]
    public void Random_values_flatten_beneath_a_key_exactly_as_that_property_of_a_file_would()
    {
        Gen.Select(JsonDocuments.Any, Gen.Int, JsonDocuments.Name).Sample(
            (value, style, name) =>
            {
                string json = JsonDocuments.Write(value, style);
                string path = "Section:" + name;
                AssertSameAsFramework("{\"Section\":{" + Quote(name) + ":" + json + "}}", EtcdValueFormat.Json, path, json);
            },
            iter: 3000,
            print: t => JsonDocuments.Write(t.Item1, t.Item2));
    }

    private static void AssertSameAsFramework(string frameworkDocument, EtcdValueFormat format, string path, string value)
    {
        bool frameworkAccepts = FrameworkJson.TryFlatten(frameworkDocument, out var expected, out var rejection);
        bool accepted = ValueDecoder.TryDecode(format, path, Encoding.UTF8.GetBytes(value), out var pairs, out var error);

        Assert.True(frameworkAccepts == accepted, $"Framework accepts: {frameworkAccepts}; ours: {accepted} ({error?.Message}) for {value}");
        if (accepted)
        {
            Pairs.Equal(expected, Pairs.ToDictionary(pairs!));
        }
        else
        {
            Assert.Equal(rejection, error!.Kind);
        }
    }

    private static string Quote(string name) => System.Text.Json.JsonSerializer.Serialize(name);
}
