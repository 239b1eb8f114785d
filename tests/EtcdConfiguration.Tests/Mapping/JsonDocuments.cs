using System.Globalization;
using System.Text;
using CsCheck;

namespace EtcdConfiguration.Tests;

/// <summary>Random JSON documents, written with random (but valid) whitespace, comments and trailing commas.</summary>
internal static class JsonDocuments
{
    private static readonly string[] s_names =
        ["a", "A", "b", "B", "ab", "", "x:y", ":", "0", "1", "10", "é", "É", "日本", "😀", "sp ace", "q\"t", "back\\slash", "tab\t", "ǅ", "key"];

    private static readonly string[] s_strings =
        ["", "x", "hello world", "éè", "😀", "\"quoted\"", "a\\b", "line\nbreak", "\u0001", "null", "true", "1.50", "日本語"];

    private static readonly string[] s_literals =
        ["0", "-0", "1", "1.50", "1e3", "1E+3", "-12.5e-7", "12345678901234567890123456789", "3.14159", "0.0000001", "true", "false", "null"];

    public static readonly Gen<string> Name = Gen.Int[0, s_names.Length - 1].Select(i => s_names[i]);

    public static readonly Gen<Node> Scalar = Gen.Frequency(
        (1, Gen.Int[0, s_strings.Length - 1].Select(i => (Node)new StringNode(s_strings[i]))),
        (1, Gen.Int[0, s_literals.Length - 1].Select(i => (Node)new LiteralNode(s_literals[i]))));

    public static readonly Gen<Node> Any = Gen.Recursive<Node>((depth, node) =>
        depth >= 4
            ? Scalar
            : Gen.Frequency(
                (3, Scalar),
                (1, node.Array[0, 4].Select(items => (Node)new ArrayNode(items))),
                (2, Gen.Select(Name, node).Array[0, 5].Select(properties => (Node)new ObjectNode(properties)))));

    public static readonly Gen<Node> Object = Gen.Select(Name, Any).Array[0, 6].Select(properties => (Node)new ObjectNode(properties));

    /// <summary>A document and a seed for its formatting.</summary>
    public static readonly Gen<(Node Document, int Style)> Documents = Gen.Select(Object, Gen.Int);

    public static string Write(Node node, int style)
    {
        var text = new StringBuilder();
        var random = new Random(style);
        Space(text, random, comments: false);
        node.Write(text, random);
        Space(text, random, comments: true);
        return text.ToString();
    }

    private static void Space(StringBuilder text, Random random, bool comments)
    {
        switch (random.Next(8))
        {
            case 0: text.Append(' '); break;
            case 1: text.Append("\r\n  "); break;
            case 2: text.Append('\t'); break;
            case 3 when comments: text.Append("/* c */"); break;
            case 4 when comments: text.Append("// line\n"); break;
            default: break;
        }
    }

    private static void WriteString(StringBuilder text, Random random, string value)
    {
        Span<char> units = stackalloc char[2];
        text.Append('"');
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.Value is '"' or '\\' || rune.Value < ' ' || random.Next(6) == 0)
            {
                int count = rune.EncodeToUtf16(units);
                foreach (char c in units[..count])
                {
                    text.Append(c switch
                    {
                        '"' => "\\\"",
                        '\\' => "\\\\",
                        '\n' => "\\n",
                        _ => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                    });
                }
            }
            else
            {
                text.Append(rune.ToString());
            }
        }

        text.Append('"');
    }

    internal abstract record Node
    {
        public abstract void Write(StringBuilder text, Random random);
    }

    internal sealed record StringNode(string Value) : Node
    {
        public override void Write(StringBuilder text, Random random) => WriteString(text, random, Value);
    }

    internal sealed record LiteralNode(string Text) : Node
    {
        public override void Write(StringBuilder text, Random random) => text.Append(Text);
    }

    internal sealed record ArrayNode(Node[] Items) : Node
    {
        public override void Write(StringBuilder text, Random random)
        {
            text.Append('[');
            for (int i = 0; i < Items.Length; i++)
            {
                Space(text, random, comments: true);
                Items[i].Write(text, random);
                Space(text, random, comments: true);
                if (i < Items.Length - 1 || random.Next(4) == 0)
                {
                    text.Append(',');
                }
            }

            Space(text, random, comments: true);
            text.Append(']');
        }
    }

    internal sealed record ObjectNode((string Name, Node Value)[] Properties) : Node
    {
        public override void Write(StringBuilder text, Random random)
        {
            text.Append('{');
            for (int i = 0; i < Properties.Length; i++)
            {
                Space(text, random, comments: true);
                WriteString(text, random, Properties[i].Name);
                Space(text, random, comments: true);
                text.Append(':');
                Space(text, random, comments: true);
                Properties[i].Value.Write(text, random);
                if (i < Properties.Length - 1 || random.Next(4) == 0)
                {
                    text.Append(',');
                }
            }

            Space(text, random, comments: true);
            text.Append('}');
        }
    }
}
