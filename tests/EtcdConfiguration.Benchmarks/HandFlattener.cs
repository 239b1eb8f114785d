using System.Text;
using System.Text.Json;

namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// What a user of a bare etcd client writes by hand to get configuration out of a ranged get: the prefix
/// trimmed, <c>/</c> turned into <c>:</c>, and JSON values flattened as the JSON file provider flattens a file.
/// </summary>
internal static class HandFlattener
{
    public static Dictionary<string, string?> NewData() => new(StringComparer.OrdinalIgnoreCase);

    public static void Add(Dictionary<string, string?> data, int prefixLength, ReadOnlySpan<byte> key, ReadOnlyMemory<byte> value)
    {
        var path = string.Join(':', Encoding.UTF8.GetString(key[prefixLength..]).Split('/', StringSplitOptions.RemoveEmptyEntries));
        var text = value.Span.TrimStart(" \t\r\n"u8);
        if (text.Length > 0 && text[0] is (byte)'{' or (byte)'[')
        {
            using var document = JsonDocument.Parse(value);
            Visit(data, path, document.RootElement);
        }
        else
        {
            data[path] = Encoding.UTF8.GetString(value.Span);
        }
    }

    private static void Visit(Dictionary<string, string?> data, string path, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var any = false;
                foreach (var property in element.EnumerateObject())
                {
                    any = true;
                    Visit(data, Join(path, property.Name), property.Value);
                }

                if (!any)
                {
                    data[path] = null;
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Visit(data, Join(path, index.ToString(System.Globalization.CultureInfo.InvariantCulture)), item);
                    index++;
                }

                if (index == 0)
                {
                    data[path] = null;
                }

                break;
            default:
                data[path] = element.ToString();
                break;
        }
    }

    private static string Join(string path, string child) => path.Length == 0 ? child : path + ":" + child;
}
