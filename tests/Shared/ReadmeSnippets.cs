using System.Text.RegularExpressions;

namespace EtcdConfiguration.Tests.Shared;

/// <summary>
/// The regions of a sample between <c>// snippet: name</c> and <c>// end snippet</c>, dedented, as the README must
/// quote them.
/// </summary>
internal static partial class ReadmeSnippets
{
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EtcdConfiguration.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with EtcdConfiguration.sln) was not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The snippets of the file at <paramref name="relativePath"/> (from the repository root), in file order.</summary>
    public static IReadOnlyList<(string Name, string Code)> Read(string relativePath)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), relativePath));
        return SnippetPattern().Matches(text).Select(m => (m.Groups["name"].Value, Dedent(m.Groups["code"].Value))).ToList();
    }

    public static string Readme() => File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));

    private static string Dedent(string code)
    {
        var lines = code.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
        while (lines.Count > 0 && lines[0].Trim().Length == 0)
        {
            lines.RemoveAt(0);
        }

        while (lines.Count > 0 && lines[^1].Trim().Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
    }

    [GeneratedRegex(@"// snippet: (?<name>\w+)\n(?<code>.*?)\n\s*// end snippet", RegexOptions.Singleline)]
    private static partial Regex SnippetPattern();
}
