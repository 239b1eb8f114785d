using System.Text;
using EtcdConfiguration.Mapping;

namespace EtcdConfiguration.Tests;

public sealed class ValueDecoderTests
{
    public static TheoryData<string> Documents() =>
    [
        """{}""",
        """{"a":"x"}""",
        """{"a":true,"b":false,"c":null,"d":1.50,"e":1e3,"f":-0.0E+5,"g":12345678901234567890123456789}""",
        """{"empty":{},"list":[],"nested":[[],{},[[]],[{}]],"n":[null,1,"two",[3]]}""",
        """{"a":{"b":{"c":{"d":"deep"}}},"A":{"B":{"e":"other"}}}""",
        """{"":"root-empty","x":{"":"child-empty"},"y":{"":{}}}""",
        """{"a:b":"colon","c":{"d:e":{"f":1}}}""",
        """{"Grüße":"日本語","😀":"\ud83d\ude00","esc":"\"\\\/\b\f\n\r\t\u00e9"}""",
        """{"a":1,"a":{}}""",
        """{"a":1,"a":[]}""",
        """{"a":{},"a":[]}""",
        """{"a":[],"a":{}}""",
        """{"a":{"b":1},"a":{"c":2}}""",
        """{"a:b":1,"a":{"b":{}}}""",
        """{"a":[1],"A":[]}""",
        """
        { // appsettings style
          /* block */ "Logging": { "LogLevel": { "Default": "Information", }, },
          "AllowedHosts": "*",
        }
        """,
        "\uFEFF{\"bom\":1}",
    ];

    public static TheoryData<string> DuplicateDocuments() =>
    [
        """{"a":1,"A":2}""",
        """{"a":{},"a":1}""",
        """{"a":[],"a":1}""",
        """{"a":null,"a":1}""",
        """{"a":[1],"a":[2]}""",
        """{"a:b":1,"a":{"b":2}}""",
        """{"a":{"b":[]},"a:b":1}""",
    ];

    [Theory]
    [MemberData(nameof(Documents))]
    public void Flattens_a_document_at_the_root_as_the_json_file_provider_does(string json)
    {
        var expected = FrameworkJson.Flatten(json);

        Pairs.Equal(expected, Pairs.Decode(EtcdValueFormat.Auto, "", json));
        Pairs.Equal(expected, Pairs.Decode(EtcdValueFormat.Json, "", json));
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Flattens_a_document_beneath_a_key_as_if_it_were_that_property(string json)
    {
        var expected = FrameworkJson.Flatten("{\"Sec:Sub\":" + json.TrimStart('\uFEFF') + "}");

        Pairs.Equal(expected, Pairs.Decode(EtcdValueFormat.Auto, "Sec:Sub", json));
    }

    [Theory]
    [MemberData(nameof(DuplicateDocuments))]
    public void A_key_given_twice_is_an_error_as_in_the_json_file_provider(string json)
    {
        Assert.False(FrameworkJson.TryFlatten(json, out _, out var rejection));
        Assert.Equal(DecodeErrorKind.DuplicateKey, rejection);

        Assert.False(ValueDecoder.TryDecode(EtcdValueFormat.Auto, "", Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.Equal(DecodeErrorKind.DuplicateKey, error!.Kind);
    }

    [Theory]
    [InlineData("[]", "")]
    [InlineData("[1,[2,{}],{\"a\":null}]", "")]
    [InlineData("  \r\n\t[\"x\"]", "")]
    public void Arrays_are_flattened_at_the_root_too(string json, string path)
    {
        var expected = FrameworkJson.Flatten("{\"w\":" + json + "}")
            .Where(p => p.Key != "w")
            .ToDictionary(p => p.Key[2..], p => p.Value, StringComparer.Ordinal);

        Pairs.Equal(expected, Pairs.Decode(EtcdValueFormat.Auto, path, json));
    }

    [Theory]
    [InlineData(EtcdValueFormat.Auto, "plain text", "plain text")]
    [InlineData(EtcdValueFormat.Auto, "  {\"a\":1}", null)]
    [InlineData(EtcdValueFormat.Auto, "\"quoted\"", "\"quoted\"")]
    [InlineData(EtcdValueFormat.Auto, "123", "123")]
    [InlineData(EtcdValueFormat.Auto, "true", "true")]
    [InlineData(EtcdValueFormat.Auto, "null", "null")]
    [InlineData(EtcdValueFormat.Auto, "", "")]
    [InlineData(EtcdValueFormat.Auto, "  ", "  ")]
    [InlineData(EtcdValueFormat.Auto, "/* c */ {\"a\":1}", "/* c */ {\"a\":1}")]
    [InlineData(EtcdValueFormat.Raw, "{\"a\":1}", "{\"a\":1}")]
    [InlineData(EtcdValueFormat.Raw, " [1] ", " [1] ")]
    [InlineData(EtcdValueFormat.Raw, "", "")]
    [InlineData(EtcdValueFormat.Json, "\"abc\"", "abc")]
    [InlineData(EtcdValueFormat.Json, " \"a\\u00e9\" ", "aé")]
    [InlineData(EtcdValueFormat.Json, "1.50", "1.50")]
    [InlineData(EtcdValueFormat.Json, "1e3", "1e3")]
    [InlineData(EtcdValueFormat.Json, "true", "True")]
    [InlineData(EtcdValueFormat.Json, "false", "False")]
    [InlineData(EtcdValueFormat.Json, "null", null)]
    [InlineData(EtcdValueFormat.Json, "/* c */ \"x\" // d", "x")]
    public void Formats_decide_whether_a_value_is_parsed(EtcdValueFormat format, string value, string? expected)
    {
        var pairs = Pairs.Decode(format, "Key", value);

        if (format == EtcdValueFormat.Auto && value.TrimStart().StartsWith('{'))
        {
            Assert.Equal("Key:a", Assert.Single(pairs).Key);
        }
        else
        {
            var pair = Assert.Single(pairs);
            Assert.Equal("Key", pair.Key);
            Assert.Equal(expected, pair.Value);
        }
    }

    [Fact]
    public void A_json_scalar_gives_the_text_the_json_file_provider_gives_a_property()
    {
        foreach (string scalar in new[] { "\"abc\"", "1.50", "-1E-3", "true", "false", "null", "\"\"" })
        {
            var expected = FrameworkJson.Flatten("{\"Key\":" + scalar + "}");

            Pairs.Equal(expected, Pairs.Decode(EtcdValueFormat.Json, "Key", scalar));
        }
    }

    [Theory]
    [InlineData(EtcdValueFormat.Auto, "{\"a\":")]
    [InlineData(EtcdValueFormat.Auto, "[1,2")]
    [InlineData(EtcdValueFormat.Auto, "{\"a\":1} trailing")]
    [InlineData(EtcdValueFormat.Auto, "{'a':1}")]
    [InlineData(EtcdValueFormat.Auto, "[\"\\ud800\"]")]
    [InlineData(EtcdValueFormat.Json, "abc")]
    [InlineData(EtcdValueFormat.Json, "")]
    [InlineData(EtcdValueFormat.Json, "1 2")]
    public void Bad_json_is_an_error_that_does_not_quote_the_value(EtcdValueFormat format, string value)
    {
        Assert.False(ValueDecoder.TryDecode(format, "Key", Encoding.UTF8.GetBytes(value), out var pairs, out var error));

        Assert.Null(pairs);
        Assert.Equal(DecodeErrorKind.InvalidJson, error!.Kind);
        Assert.DoesNotContain("abc", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("trailing", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'t'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_json_error_says_where()
    {
        Assert.False(ValueDecoder.TryDecode(EtcdValueFormat.Auto, "K", "{\n  \"a\": x\n}"u8, out _, out var error));

        Assert.Contains("line 2", error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(EtcdValueFormat.Auto)]
    [InlineData(EtcdValueFormat.Raw)]
    [InlineData(EtcdValueFormat.Json)]
    public void Invalid_utf8_is_an_error_in_every_format(EtcdValueFormat format)
    {
        byte[][] values = [[0xFF], [(byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xC3, (byte)'"', (byte)'}'], [(byte)'o', (byte)'k', 0xED, 0xA0, 0x80]];
        foreach (byte[] value in values)
        {
            Assert.False(ValueDecoder.TryDecode(format, "K", value, out _, out var error));
            Assert.Equal(DecodeErrorKind.InvalidUtf8, error!.Kind);
        }
    }

    [Theory]
    [InlineData('[', ']')]
    [InlineData('{', '}')]
    public void Nesting_up_to_the_bound_is_flattened_as_the_json_file_provider_does(char open, char close)
    {
        string json = Nest(open, close, JsonValueFlattener.MaxDepth - 1);

        Pairs.Equal(FrameworkJson.Flatten("{\"k\":" + json + "}"), Pairs.Decode(EtcdValueFormat.Auto, "k", json));

        string document = Nest('{', '}', JsonValueFlattener.MaxDepth);
        Pairs.Equal(FrameworkJson.Flatten(document), Pairs.Decode(EtcdValueFormat.Auto, "", document));
    }

    [Theory]
    [InlineData('[', ']', JsonValueFlattener.MaxDepth + 1)]
    [InlineData('{', '}', JsonValueFlattener.MaxDepth + 1)]
    [InlineData('[', ']', 10_000)]
    [InlineData('{', '}', 10_000)]
    [InlineData('[', ']', 1_000_000)]
    public void Nesting_deeper_than_the_bound_is_an_error_without_recursion(char open, char close, int depth)
    {
        string json = Nest(open, close, depth);

        Assert.False(ValueDecoder.TryDecode(EtcdValueFormat.Auto, "", Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.Equal(DecodeErrorKind.TooDeep, error!.Kind);
        Assert.Contains(JsonValueFlattener.MaxDepth.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_json_file_provider_rejects_one_level_more_than_the_bound_too()
    {
        Assert.False(FrameworkJson.TryFlatten(Nest('{', '}', JsonValueFlattener.MaxDepth + 1), out _, out _));
        Assert.True(FrameworkJson.TryFlatten(Nest('{', '}', JsonValueFlattener.MaxDepth), out _, out _));
    }

    [Theory]
    [InlineData(EtcdValueFormat.Auto, "")]
    [InlineData(EtcdValueFormat.Auto, " \r\n")]
    [InlineData(EtcdValueFormat.Raw, "")]
    [InlineData(EtcdValueFormat.Json, "")]
    [InlineData(EtcdValueFormat.Json, "\uFEFF ")]
    [InlineData(EtcdValueFormat.Auto, "{}")]
    [InlineData(EtcdValueFormat.Auto, "[]")]
    public void The_prefix_key_may_be_empty_and_contributes_nothing(EtcdValueFormat format, string value)
    {
        Assert.Empty(Pairs.Decode(format, "", value));
    }

    [Theory]
    [InlineData(EtcdValueFormat.Auto, "text")]
    [InlineData(EtcdValueFormat.Raw, "{\"a\":1}")]
    [InlineData(EtcdValueFormat.Json, "\"text\"")]
    [InlineData(EtcdValueFormat.Json, "42")]
    [InlineData(EtcdValueFormat.Json, "null")]
    public void A_single_value_at_the_prefix_key_is_an_error(EtcdValueFormat format, string value)
    {
        Assert.False(ValueDecoder.TryDecode(format, "", Encoding.UTF8.GetBytes(value), out _, out var error));
        Assert.Equal(DecodeErrorKind.ScalarAtRoot, error!.Kind);
    }

    [Fact]
    public void Text_values_keep_a_byte_order_mark_and_json_values_skip_it()
    {
        Assert.Equal("\uFEFFtext", Pairs.Decode(EtcdValueFormat.Auto, "k", "\uFEFFtext")["k"]);
        Assert.Equal("1", Pairs.Decode(EtcdValueFormat.Auto, "k", "\uFEFF {\"a\":1}")["k:a"]);
    }

    private static string Nest(char open, char close, int depth)
    {
        var text = new StringBuilder(depth * 6);
        for (int i = 0; i < depth; i++)
        {
            text.Append(open);
            if (open == '{')
            {
                text.Append("\"a\":");
            }
        }

        text.Append('1');
        text.Append(close, depth);
        return text.ToString();
    }
}
