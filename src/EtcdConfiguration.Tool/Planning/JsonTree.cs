using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Tool.Planning;

/// <summary>
/// Configuration pairs as a nested JSON document that the JSON file provider flattens back into the same pairs:
/// sections become objects, sections whose children are exactly <c>0</c>..<c>n-1</c> become arrays, a null value is
/// <c>null</c> and every other value a JSON string. Keys merge case-insensitively, as configuration compares them.
/// </summary>
internal sealed class JsonTree
{
    private static readonly JsonWriterOptions s_options = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly Node _root = new(string.Empty, null);

    /// <summary>Adds a pair at <paramref name="segments"/> below the root.</summary>
    /// <exception cref="InvalidOperationException">A section would have both a value and children (JSON has no such thing).</exception>
    public void Add(IReadOnlyList<string> segments, string? value, string key)
    {
        var node = _root;
        foreach (var segment in segments)
        {
            node = node.Child(segment);
        }

        if (node.Children.Count > 0)
        {
            if (value is null)
            {
                // A null section with children reads the same either way: its value is null and it has children.
                return;
            }

            throw new InvalidOperationException(Conflict(key));
        }

        node.HasValue = true;
        node.Value = value;
    }

    /// <summary>Adds every pair of a configuration, splitting keys on <c>:</c>.</summary>
    public static JsonTree From(IEnumerable<KeyValuePair<string, string?>> values)
    {
        var tree = new JsonTree();
        foreach (var (key, value) in values.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase))
        {
            tree.Add(key.Split(ConfigurationPath.KeyDelimiter[0]), value, key);
        }

        return tree;
    }

    /// <summary>The document; its root is always an object.</summary>
    public string ToJson()
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, s_options))
        {
            WriteObject(writer, _root);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Conflict(string key) =>
        $"The configuration key '{key}' has a value and keys below it, which no JSON document can express.";

    private static void Write(Utf8JsonWriter writer, Node node)
    {
        if (node.Children.Count == 0)
        {
            if (node.Value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteStringValue(node.Value);
            }
        }
        else if (IsArray(node))
        {
            writer.WriteStartArray();
            foreach (var child in node.Children.Values.OrderBy(c => int.Parse(c.Name, CultureInfo.InvariantCulture)))
            {
                Write(writer, child);
            }

            writer.WriteEndArray();
        }
        else
        {
            WriteObject(writer, node);
        }
    }

    private static void WriteObject(Utf8JsonWriter writer, Node node)
    {
        writer.WriteStartObject();
        foreach (var child in node.Children.Values)
        {
            writer.WritePropertyName(child.Name);
            Write(writer, child);
        }

        writer.WriteEndObject();
    }

    private static bool IsArray(Node node)
    {
        for (int i = 0; i < node.Children.Count; i++)
        {
            if (!node.Children.TryGetValue(i.ToString(CultureInfo.InvariantCulture), out var child)
                || child.Name != i.ToString(CultureInfo.InvariantCulture))
            {
                return false;
            }
        }

        return true;
    }

    private sealed class Node(string name, string? path)
    {
        public string Name { get; } = name;

        // The configuration key of this node, for messages; null for the root.
        public string? Path { get; } = path;

        public bool HasValue { get; set; }

        public string? Value { get; set; }

        public Dictionary<string, Node> Children { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Node Child(string segment)
        {
            if (HasValue && Value is not null)
            {
                throw new InvalidOperationException(Conflict(Path ?? string.Empty));
            }

            HasValue = false;
            if (!Children.TryGetValue(segment, out var child))
            {
                var path = Path is null ? segment : Path + ConfigurationPath.KeyDelimiter + segment;
                Children.Add(segment, child = new Node(segment, path));
            }

            return child;
        }
    }
}
